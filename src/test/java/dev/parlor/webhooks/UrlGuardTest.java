package dev.parlor.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlGuardTest {
  final UrlGuard guard = new UrlGuard(false);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/hook",
        "http://127.8.9.10:8080/hook",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://172.16.0.1/hook",
        "http://172.31.255.255/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "http://[fd00::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::ffff:10.1.2.3]/hook",
        "http://224.0.0.1/hook",
        "http://255.255.255.255/hook"
      })
  void privateLoopbackAndLinkLocalAddressesAreRefused(String url) {
    assertThatThrownBy(() -> guard.check(url))
        .isInstanceOf(UrlGuard.Refused.class)
        .hasMessageContaining("PARLOR_WEBHOOK_ALLOW_PRIVATE");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://93.184.216.34/hook",
        "file:///etc/passwd",
        "gopher://93.184.216.34/",
        "javascript:alert(1)",
        "http:///nohost",
        "http://user:pass@93.184.216.34/hook",
        "not a url"
      })
  void otherSchemesAndMalformedUrlsAreRefused(String url) {
    assertThatThrownBy(() -> guard.check(url)).isInstanceOf(UrlGuard.Refused.class);
  }

  @Test
  void publicAddressesAreAccepted() {
    assertThat(guard.check("https://93.184.216.34/hooks/whereby?x=1").getHost())
        .isEqualTo("93.184.216.34");
    assertThat(guard.check("http://[2606:2800:220:1:248:1893:25c8:1946]:8443/h").getPort())
        .isEqualTo(8443);
    assertThat(guard.check("http://172.32.0.1/h").getHost()).isEqualTo("172.32.0.1");
  }

  @Test
  void privateAddressesAreAcceptedWhenAllowed() {
    assertThat(new UrlGuard(true).check("http://127.0.0.1:9/hook").getPort()).isEqualTo(9);
  }
}
