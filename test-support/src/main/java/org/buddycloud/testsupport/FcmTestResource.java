package org.buddycloud.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** {@link FcmStandIn} for a Quarkus test: the service under test sends FCM messages to it; tests read {@link #fcm()}. */
public class FcmTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile FcmStandIn fcm;

    /** The stand-in of the running test (tests run in the JVM of their resources). */
    public static FcmStandIn fcm() {
        return fcm;
    }

    @Override
    public Map<String, String> start() {
        fcm = FcmStandIn.start(4);
        return fcm.config();
    }

    @Override
    public void stop() {
        if (fcm != null) {
            fcm.close();
        }
    }
}
