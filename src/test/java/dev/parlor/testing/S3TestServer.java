package dev.parlor.testing;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3-compatible server in the test JVM: s3proxy over jclouds' in-memory ("transient")
 * backend, on a free loopback port, with AWS signature v2/v4 authentication. Every bucket it is
 * asked for is new and empty.
 */
public final class S3TestServer implements AutoCloseable {
  public static final String ACCESS_KEY = "parlor-test-access";
  public static final String SECRET_KEY = "parlor-test-secret-0123456789";
  public static final String REGION = "us-east-1";

  private final BlobStoreContext context;
  private final S3Proxy proxy;

  private S3TestServer(BlobStoreContext context, S3Proxy proxy) {
    this.context = context;
    this.proxy = proxy;
  }

  public static S3TestServer start() {
    BlobStoreContext context =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .build(BlobStoreContext.class);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    try {
      proxy.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        Thread.sleep(10);
      }
    } catch (Exception e) {
      context.close();
      throw new IllegalStateException("cannot start s3proxy", e);
    }
    return new S3TestServer(context, proxy);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** Creates a new, empty bucket and returns its name. */
  public String newBucket() {
    String name = "parlor-" + UUID.randomUUID().toString().substring(0, 13);
    context.getBlobStore().createContainerInLocation(null, name);
    return name;
  }

  /** How many objects the bucket holds (under a prefix, or all with ""). */
  public long objectCount(String bucket, String prefix) {
    return context
        .getBlobStore()
        .list(
            bucket,
            org.jclouds.blobstore.options.ListContainerOptions.Builder.prefix(prefix).recursive())
        .size();
  }

  /** The PARLOR_* variables of a server that keeps its blobs in {@code bucket} here. */
  public Map<String, String> env(String bucket) {
    return Map.of(
        "PARLOR_BLOB_STORE", "s3",
        "PARLOR_S3_ENDPOINT", endpoint().toString(),
        "PARLOR_S3_REGION", REGION,
        "PARLOR_S3_BUCKET", bucket,
        "PARLOR_S3_ACCESS_KEY_ID", ACCESS_KEY,
        "PARLOR_S3_SECRET_ACCESS_KEY", SECRET_KEY,
        "PARLOR_S3_PATH_STYLE", "true");
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      // stopping a test server
    } finally {
      context.close();
    }
  }
}
