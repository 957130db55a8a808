package org.buddycloud.cluster;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands test classes the {@link Cluster}, started on first use and stopped when the test run ends: one start of two
 * replicas, a broker and a database for all the classes, because that start is most of this module's time on two
 * cores. A test that kills a replica or stops the broker brings it back before it ends.
 */
final class ClusterExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Cluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // the root store closes what it holds (Cluster is AutoCloseable) once every class has run
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Cluster.class, key -> Cluster.start(), Cluster.class);
    }
}
