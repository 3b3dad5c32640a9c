package dev.parlor.signaling;

import io.helidon.webserver.websocket.WsRouting;

/** The signaling WebSocket endpoint's routing. */
public final class SignalingRoutes {
  /** Where room pages open their WebSocket. */
  public static final String PATH = "/_parlor/signal";

  private SignalingRoutes() {}

  public static WsRouting.Builder routing(SignalingService service) {
    return WsRouting.builder().endpoint(PATH, () -> new SignalingEndpoint(service));
  }
}
