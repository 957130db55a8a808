package org.buddycloud.testsupport;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * In the {@code -Pcontainers} suites (registered for every test by JUnit's extension autodetection, which the
 * profile turns on): without a Docker engine every test is skipped with that reason; a test marked
 * {@link LocalInfrastructureOnly} is skipped with its own. Outside those suites it changes nothing.
 */
public final class DockerCondition implements ExecutionCondition {

    private static final String NO_DOCKER = "no Docker engine here: the -Pcontainers suites (Kafka, PostgreSQL and MinIO in "
            + "containers) are skipped; run them where Docker runs, or without -Pcontainers against the local processes";
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DockerCondition.class.getName());
    private static volatile Boolean dockerAvailable;
    private static volatile boolean told;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!Containers.requested()) {
            return ConditionEvaluationResult.enabled("local infrastructure");
        }
        if (!dockerAvailable()) {
            if (!told) {
                told = true;
                LOG.warning(NO_DOCKER);
            }
            return ConditionEvaluationResult.disabled(NO_DOCKER);
        }
        return context.getTestClass().map(c -> c.getAnnotation(LocalInfrastructureOnly.class))
                .map(local -> ConditionEvaluationResult.disabled("local infrastructure only: " + local.value()))
                .orElse(ConditionEvaluationResult.enabled("Docker is available"));
    }

    private static boolean dockerAvailable() {
        if (dockerAvailable == null) {
            boolean available;
            try {
                available = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                available = false;
            }
            dockerAvailable = available;
        }
        return dockerAvailable;
    }
}
