package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

  private static HttpResponse<String> handshake(EngineFixture fx, String origin) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(fx.uri("EIO=4&transport=polling"));
    if (origin != null) b.header("Origin", origin);
    return fx.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> preflight(EngineFixture fx, String origin) throws Exception {
    return fx.http.send(HttpRequest.newBuilder(fx.uri("EIO=4&transport=polling"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type").build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void sameOriginOnly_noOriginOrSameHost_allowed() throws Exception {
    try (EngineFixture fx = new EngineFixture()) {
      assertThat(handshake(fx, null).statusCode()).isEqualTo(200);
      HttpResponse<String> same = handshake(fx, "http://127.0.0.1:" + fx.port);
      assertThat(same.statusCode()).isEqualTo(200);
      assertThat(same.headers().firstValue("access-control-allow-origin")).hasValue("http://127.0.0.1:" + fx.port);
    }
  }

  @Test
  void sameOriginOnly_foreignOrigin_rejected403WithCode4() throws Exception {
    try (EngineFixture fx = new EngineFixture()) {
      HttpResponse<String> r = handshake(fx, "http://evil.example");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).isEqualTo("{\"code\":4,\"message\":\"Forbidden\"}");
      assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
      // same host, other port is another origin
      assertThat(handshake(fx, "http://127.0.0.1:1").statusCode()).isEqualTo(403);
      assertThat(preflight(fx, "http://evil.example").statusCode()).isEqualTo(403);
    }
  }

  @Test
  void listedOrigin_allowedWithCredentialsAndPreflightAnswered() throws Exception {
    try (EngineFixture fx = new EngineFixture(EngineFixture.config().withAllowedOrigins(List.of("https://app.example")))) {
      HttpResponse<String> r = handshake(fx, "https://app.example");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example");
      assertThat(r.headers().firstValue("access-control-allow-credentials")).hasValue("true");

      HttpResponse<String> p = preflight(fx, "https://app.example");
      assertThat(p.statusCode()).isEqualTo(204);
      assertThat(p.headers().firstValue("access-control-allow-methods")).hasValue("GET, POST, OPTIONS");
      assertThat(p.headers().firstValue("access-control-allow-headers")).hasValue("content-type");

      assertThat(handshake(fx, "https://other.example").statusCode()).isEqualTo(403);
    }
  }

  @Test
  void wildcard_anyOriginAllowedWithoutCredentials() throws Exception {
    try (EngineFixture fx = new EngineFixture(EngineFixture.config().withAllowedOrigins(List.of("*")))) {
      HttpResponse<String> r = handshake(fx, "https://anyone.example");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
      assertThat(r.headers().firstValue("access-control-allow-credentials")).isEmpty();
    }
  }

  @Test
  void websocket_foreignOrigin_upgradeRefused() throws Exception {
    try (EngineFixture fx = new EngineFixture()) {
      ClientUpgradeRequest request = new ClientUpgradeRequest(fx.wsUri("EIO=4&transport=websocket"));
      request.setHeader("Origin", "http://evil.example");
      assertThatThrownBy(() -> fx.wsClient.connect(new WsPeer(), request)
          .get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasMessageContaining("403");
      assertThat(fx.engine.sessionCount()).isZero();
    }
  }

  @Test
  void policy_ipv6AndDefaultPorts_comparedByHostAndPort() {
    OriginPolicy sameOnly = new OriginPolicy(List.of());
    assertThat(sameOnly.allows("http://[::1]:8080", "[::1]:8080", false)).isTrue();
    assertThat(sameOnly.allows("https://site.example", "site.example", true)).isTrue();
    assertThat(sameOnly.allows("http://site.example", "site.example:80", false)).isTrue();
    assertThat(sameOnly.allows("https://site.example", "site.example", false)).isFalse();
    assertThat(sameOnly.allows("null", "site.example", false)).isFalse();
    HttpFields.Mutable headers = HttpFields.build();
    new OriginPolicy(List.of("*")).addCorsHeaders("https://x.example", headers);
    assertThat(headers.get("Access-Control-Allow-Credentials")).isNull();
  }
}
