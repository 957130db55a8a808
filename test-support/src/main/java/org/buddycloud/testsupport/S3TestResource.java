package org.buddycloud.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A real S3 endpoint for a Quarkus test, configured as {@code buddycloud.s3.*} (MinIO in a container in -Pcontainers). */
public class S3TestResource implements QuarkusTestResourceLifecycleManager {

    private S3Process s3;
    private org.testcontainers.containers.MinIOContainer minio;

    @Override
    public Map<String, String> start() {
        if (Containers.requested()) {
            minio = Containers.minio(S3Process.ACCESS_KEY, S3Process.SECRET_KEY);
            return Map.of("buddycloud.s3.endpoint", minio.getS3URL(), "buddycloud.s3.access-key", S3Process.ACCESS_KEY,
                    "buddycloud.s3.secret-key", S3Process.SECRET_KEY);
        }
        s3 = S3Process.start();
        return Map.of("buddycloud.s3.endpoint", s3.endpoint(), "buddycloud.s3.access-key", S3Process.ACCESS_KEY,
                "buddycloud.s3.secret-key", S3Process.SECRET_KEY);
    }

    @Override
    public void stop() {
        Containers.stop(minio);
        if (s3 != null) {
            s3.close();
        }
    }
}
