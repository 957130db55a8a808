package org.buddycloud.media.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.Item;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The bucket the media bytes are kept in, through the MinIO SDK: streamed puts (multipart when the
 * size is unknown), ranged gets, removal and presigned URLs. Keys are chosen by the caller.
 */
@ApplicationScoped
public class ObjectStore {

    private static final Logger LOG = Logger.getLogger(ObjectStore.class);
    /** Parts of unknown-length uploads; S3's minimum part size is 5 MiB. */
    private static final long PART_SIZE = 10L * 1024 * 1024;

    /** What S3 says about a stored object. */
    public record Stat(long size, String contentType, String etag) {
    }

    private final MinioClient client;
    /** Signs URLs for the endpoint clients see; signing is local, this client never connects. */
    private final MinioClient signer;
    private final String bucket;

    ObjectStore(S3Config config) {
        this.client = MinioClient.builder().endpoint(config.endpoint()).credentials(config.accessKey(), config.secretKey())
                .region(config.region()).build();
        this.signer = config.publicEndpoint().map(endpoint -> MinioClient.builder().endpoint(endpoint)
                .credentials(config.accessKey(), config.secretKey()).region(config.region()).build()).orElse(client);
        this.bucket = config.bucket();
    }

    void createBucket(@Observes StartupEvent event) {
        try {
            ensureBucket();
        } catch (StorageException e) {
            // readiness reports it; the service starts anyway and retries on the next check
            LOG.warnf("the media bucket is not available yet: %s", e.getMessage());
        }
    }

    /** Creates the bucket when it is missing; true when it exists afterwards. */
    public boolean ensureBucket() {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                LOG.infof("created the media bucket %s", bucket);
            }
            return true;
        } catch (ErrorResponseException e) {
            if ("BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                return true;
            }
            throw new StorageException("S3 refused to create bucket " + bucket + ": " + e.errorResponse().code(), e);
        } catch (IOException | GeneralSecurityException | io.minio.errors.MinioException e) {
            throw new StorageException("S3 is unreachable: " + e.getMessage(), e);
        }
    }

    /** Stores {@code size} bytes (or, with size -1, however many the stream holds) under {@code key}. */
    public void put(String key, InputStream content, long size, String contentType) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).contentType(contentType)
                    .stream(content, size, size < 0 ? PART_SIZE : -1).build());
        } catch (IOException | GeneralSecurityException | io.minio.errors.MinioException e) {
            throw new StorageException("storing " + key + " failed: " + e.getMessage(), e);
        }
    }

    /** The object's bytes from {@code offset}, {@code length} of them (-1: to the end). The caller closes the stream. */
    public InputStream get(String key, long offset, long length) {
        try {
            GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(bucket).object(key);
            if (offset > 0 || length >= 0) {
                args.offset(offset);
                if (length >= 0) {
                    args.length(length);
                }
            }
            return client.getObject(args.build());
        } catch (IOException | GeneralSecurityException | io.minio.errors.MinioException e) {
            throw new StorageException("reading " + key + " failed: " + e.getMessage(), e);
        }
    }

    public Optional<Stat> stat(String key) {
        try {
            var stat = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return Optional.of(new Stat(stat.size(), stat.contentType(), stat.etag()));
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw new StorageException("looking up " + key + " failed: " + e.errorResponse().code(), e);
        } catch (IOException | GeneralSecurityException | io.minio.errors.MinioException e) {
            throw new StorageException("looking up " + key + " failed: " + e.getMessage(), e);
        }
    }

    /** Removes the object; removing one that is not there is not an error. */
    public void remove(String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (IOException | GeneralSecurityException | io.minio.errors.MinioException e) {
            throw new StorageException("removing " + key + " failed: " + e.getMessage(), e);
        }
    }

    /** Removes every object whose key starts with {@code prefix} (all of a channel's files and previews). */
    public int removePrefix(String prefix) {
        int removed = 0;
        try {
            for (Result<Item> listed : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                remove(listed.get().objectName());
                removed++;
            }
            return removed;
        } catch (IOException | GeneralSecurityException | io.minio.errors.MinioException e) {
            throw new StorageException("removing " + prefix + "* failed: " + e.getMessage(), e);
        }
    }

    /**
     * A URL that lets its holder GET or PUT this one object directly at S3 until it expires; {@code responseHeaders}
     * (for a GET: {@code response-content-type}, {@code response-content-disposition}) become part of the signature.
     */
    public String presigned(Method method, String key, Duration validity, Map<String, String> responseHeaders) {
        try {
            return signer.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(method).bucket(bucket).object(key)
                    .expiry((int) validity.toSeconds()).extraQueryParams(responseHeaders).build());
        } catch (IOException | GeneralSecurityException | io.minio.errors.MinioException e) {
            throw new StorageException("signing a URL for " + key + " failed: " + e.getMessage(), e);
        }
    }
}
