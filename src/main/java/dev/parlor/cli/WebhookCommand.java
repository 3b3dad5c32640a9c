package dev.parlor.cli;

import dev.parlor.http.Json;
import dev.parlor.webhooks.Delivery;
import dev.parlor.webhooks.EventType;
import dev.parlor.webhooks.WebhookEndpoint;
import dev.parlor.webhooks.WebhookService;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "webhook",
    description = "Manage webhook endpoints and see their deliveries.",
    subcommands = {
      WebhookCommand.Add.class,
      WebhookCommand.ListEndpoints.class,
      WebhookCommand.Remove.class,
      WebhookCommand.Deliveries.class
    })
final class WebhookCommand {

  static Map<String, Object> json(WebhookEndpoint e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("endpointId", Long.toString(e.id()));
    m.put("organizationId", Long.toString(e.organizationId()));
    m.put("url", e.url());
    m.put("events", e.events().stream().map(EventType::wire).sorted().toList());
    m.put("createdAt", e.createdAt().toString());
    m.put("removedAt", e.removedAt().map(Object::toString).orElse(null));
    return m;
  }

  static Map<String, Object> json(Delivery d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("eventId", d.eventId());
    m.put("endpointId", Long.toString(d.endpointId()));
    m.put("type", d.eventType());
    m.put("status", d.status().wire());
    m.put("attempts", d.attempts());
    m.put("createdAt", d.createdAt().toString());
    m.put("lastAttemptAt", d.lastAttemptAt().map(Object::toString).orElse(null));
    m.put(
        "nextAttemptAt",
        d.status() == Delivery.Status.PENDING ? d.nextAttemptAt().toString() : null);
    m.put("lastStatusCode", d.lastStatusCode().isPresent() ? d.lastStatusCode().getAsInt() : null);
    m.put("lastError", d.lastError().orElse(null));
    m.put("deliveredAt", d.deliveredAt().map(Object::toString).orElse(null));
    return m;
  }

  private static void requireOrganization(AdminContext ctx, long org) {
    if (ctx.organizations.find(org).isEmpty()) {
      throw new IllegalArgumentException("--org: no organization " + org);
    }
  }

  @Command(
      name = "add",
      description =
          "Add an endpoint; prints its id and signing secret (generated unless --secret is given).")
  static final class Add implements Callable<Integer> {
    @Option(names = "--org", required = true, description = "Organization id.")
    long org;

    @Option(names = "--url", required = true, description = "Where events are POSTed (http/https).")
    String url;

    @Option(
        names = "--events",
        required = true,
        split = ",",
        description =
            "Event types, comma-separated: room.client.joined, room.client.left,"
                + " room.client.knocked, room.client.knockCancelled, room.session.started,"
                + " room.session.ended, recording.finished.")
    List<String> events;

    @Option(names = "--secret", description = "Signing secret (16 to 200 characters).")
    String secret;

    @Option(names = "--json", description = "Print one JSON object on one line.")
    boolean json;

    @Override
    public Integer call() {
      try (AdminContext ctx = AdminContext.open()) {
        requireOrganization(ctx, org);
        WebhookService.Added a = ctx.webhooks().add(org, url, events, Optional.ofNullable(secret));
        if (json) {
          Map<String, Object> m = json(a.endpoint());
          m.put("secret", a.secret());
          System.out.println(Json.line(m));
        } else {
          System.out.println(
              "Webhook endpoint "
                  + a.endpoint().id()
                  + " -> "
                  + a.endpoint().url()
                  + "\nSigning secret (shown once): "
                  + a.secret());
        }
        return 0;
      }
    }
  }

  @Command(name = "list", description = "List an organization's endpoints (never their secrets).")
  static final class ListEndpoints implements Callable<Integer> {
    @Option(names = "--org", required = true, description = "Organization id.")
    long org;

    @Option(names = "--json", description = "Print one JSON array on one line.")
    boolean json;

    @Override
    public Integer call() {
      try (AdminContext ctx = AdminContext.open()) {
        requireOrganization(ctx, org);
        List<WebhookEndpoint> all = ctx.webhooks().list(org);
        if (json) {
          System.out.println(Json.line(all.stream().map(WebhookCommand::json).toList()));
        } else {
          for (WebhookEndpoint e : all) {
            System.out.println(
                e.id()
                    + "\t"
                    + e.url()
                    + "\t"
                    + String.join(",", e.events().stream().map(EventType::wire).sorted().toList())
                    + "\t"
                    + e.removedAt().map(r -> "removed " + r).orElse("active"));
          }
        }
        return 0;
      }
    }
  }

  @Command(
      name = "remove",
      description = "Remove an endpoint; its undelivered events are cancelled.")
  static final class Remove implements Callable<Integer> {
    @Parameters(paramLabel = "ENDPOINT-ID", description = "The endpoint's id (from webhook list).")
    long endpointId;

    @Override
    public Integer call() {
      try (AdminContext ctx = AdminContext.open()) {
        WebhookService w = ctx.webhooks();
        if (w.find(endpointId).isEmpty()) {
          throw new IllegalArgumentException("no webhook endpoint " + endpointId);
        }
        boolean removed = w.remove(endpointId);
        System.out.println(
            removed
                ? "Removed webhook endpoint " + endpointId
                : "Webhook endpoint " + endpointId + " was already removed");
        return 0;
      }
    }
  }

  @Command(
      name = "deliveries",
      description = "Recent deliveries, newest first: status, attempts and the last error.")
  static final class Deliveries implements Callable<Integer> {
    @Option(names = "--org", required = true, description = "Organization id.")
    long org;

    @Option(names = "--endpoint", description = "Only this endpoint's deliveries.")
    Long endpoint;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (1-1000).")
    int limit;

    @Option(names = "--json", description = "Print one JSON array on one line.")
    boolean json;

    @Override
    public Integer call() {
      try (AdminContext ctx = AdminContext.open()) {
        requireOrganization(ctx, org);
        List<Delivery> all =
            ctx.webhooks()
                .deliveries(
                    org,
                    endpoint == null ? OptionalLong.empty() : OptionalLong.of(endpoint),
                    limit);
        if (json) {
          System.out.println(Json.line(all.stream().map(WebhookCommand::json).toList()));
        } else {
          for (Delivery d : all) {
            System.out.println(
                String.join(
                    "\t",
                    Arrays.asList(
                        d.createdAt().toString(),
                        d.eventType(),
                        "endpoint " + d.endpointId(),
                        d.status().wire(),
                        d.attempts() + (d.attempts() == 1 ? " attempt" : " attempts"),
                        d.lastError().orElse(""),
                        d.eventId())));
          }
        }
        return 0;
      }
    }
  }
}
