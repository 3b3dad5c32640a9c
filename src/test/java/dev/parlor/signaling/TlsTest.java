package dev.parlor.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.testing.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With PARLOR_TLS_CERT and PARLOR_TLS_KEY (PEM), pages and signaling are served over TLS. */
class TlsTest {
  @TempDir Path dir;

  @Test
  void httpsAndWssWithPemFiles() throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path p12 = dir.resolve("k.p12");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "parlor",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey("parlor", "changeit".toCharArray());
    X509Certificate cert = (X509Certificate) ks.getCertificate("parlor");
    Path keyPem = dir.resolve("key.pem");
    Path certPem = dir.resolve("cert.pem");
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));

    try (TestServer server =
        TestServer.start(
            Map.of("PARLOR_TLS_CERT", certPem.toString(), "PARLOR_TLS_KEY", keyPem.toString()))) {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, new TrustManager[] {new TrustAll()}, null);
      HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
      String base = "https://127.0.0.1:" + server.app().port();
      HttpResponse<String> health =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(server.app().publicUrl()).startsWith("https://localhost:");

      CompletableFuture<String> first = new CompletableFuture<>();
      WebSocket ws =
          client
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create(base.replace("https", "wss") + SignalingRoutes.PATH),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                      first.complete(data.toString());
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      ws.sendText("{\"type\":\"ping\"}", true).get(5, TimeUnit.SECONDS);
      assertThat(first.get(5, TimeUnit.SECONDS)).contains("pong");
      ws.abort();
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
