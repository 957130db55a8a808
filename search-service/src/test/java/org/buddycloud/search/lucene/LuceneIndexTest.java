package org.buddycloud.search.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.search.domain.IndexChange;
import org.buddycloud.search.domain.SearchIndex;
import org.buddycloud.search.domain.SearchIndexContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded engine, and what only a local index does: survive a restart with its positions. */
class LuceneIndexTest extends SearchIndexContract {

    @TempDir
    Path folder;

    @Override
    protected SearchIndex newIndex() {
        try {
            return LuceneIndex.open(Files.createDirectories(folder.resolve("index")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aClosedWriterIsNotAlive() {
        org.junit.jupiter.api.Assertions.assertTrue(index.alive());
        index.close();
        org.junit.jupiter.api.Assertions.assertFalse(index.alive());
        index = newIndex();
    }

    @Test
    void aReopenedIndexKeepsItsEntriesAndPositions() {
        index.apply(List.of(new IndexChange.PutPost(post("juliet@capulet.lit", "1", "juliet@capulet.lit", "remember me", AccessModel.OPEN, T0))),
                Map.of("buddycloud.posts-0", 7L, "buddycloud.channels-1", 3L));
        index.close();
        index = newIndex();
        assertEquals(Map.of("buddycloud.posts-0", 7L, "buddycloud.channels-1", 3L), index.positions());
        assertEquals(List.of("1"), postsFound("remember", anybody()));
    }

    @Test
    void changesAreSearchableBeforeTheirCommitAndRemovalsAreRememberedAcrossARestart() throws IOException {
        index.close();
        index = LuceneIndex.open(folder.resolve("index"), java.time.Duration.ofHours(1));
        index.apply(List.of(new IndexChange.PutPost(post("juliet@capulet.lit", "1", "juliet@capulet.lit", "not yet committed", AccessModel.OPEN, T0)),
                new IndexChange.RemoveAuthor(jid("tybalt@capulet.lit"), T0)), Map.of("buddycloud.posts-0", 9L));
        assertEquals(List.of("1"), postsFound("committed", anybody()), "searchable at once");
        index.close();   // an orderly stop commits
        index = newIndex();
        assertEquals(Map.of("buddycloud.posts-0", 9L), index.positions());
        assertEquals(java.util.Optional.of(T0), index.removedAt(org.buddycloud.search.domain.IndexState.Removed.AUTHOR, jid("tybalt@capulet.lit")));
        assertEquals(List.of("1"), postsFound("committed", anybody()));
    }
}
