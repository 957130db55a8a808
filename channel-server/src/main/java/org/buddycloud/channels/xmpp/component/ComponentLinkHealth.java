package org.buddycloud.channels.xmpp.component;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the component connection is up, when component mode is on. */
@Readiness
@ApplicationScoped
public class ComponentLinkHealth implements HealthCheck {

    private final ComponentLink link;

    ComponentLinkHealth(ComponentLink link) {
        this.link = link;
    }

    @Override
    public HealthCheckResponse call() {
        if (!link.enabled()) {
            return HealthCheckResponse.named("xmpp-component").up().withData("enabled", false).build();
        }
        var response = HealthCheckResponse.named("xmpp-component").status(link.ready());
        link.describe().forEach((key, value) -> response.withData(key, String.valueOf(value)));
        return response.build();
    }
}
