package org.buddycloud.search;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.TokenProtectedServiceContract;

/** The search service accepts the channel server's tokens and refuses revoked ones, through a real broker. */
@QuarkusTest
@WithTestResource(SearchTestStack.class)
@WithTestResource(PostgresTestResource.class)
class TokenCheckTest extends TokenProtectedServiceContract {
}
