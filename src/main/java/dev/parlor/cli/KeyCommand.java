package dev.parlor.cli;

import dev.parlor.http.Json;
import dev.parlor.orgs.ApiKey;
import dev.parlor.orgs.OrganizationService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "key",
    description = "Manage API keys.",
    subcommands = {KeyCommand.Create.class, KeyCommand.ListKeys.class, KeyCommand.Revoke.class})
final class KeyCommand {

  static Map<String, Object> json(ApiKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("keyId", Long.toString(k.id()));
    m.put("organizationId", Long.toString(k.organizationId()));
    m.put("label", k.label());
    m.put("source", k.source().name().toLowerCase(java.util.Locale.ROOT));
    m.put("createdAt", k.createdAt().toString());
    m.put("revokedAt", k.revokedAt().map(Object::toString).orElse(null));
    return m;
  }

  @Command(name = "create", description = "Create an API key for an organization.")
  static final class Create implements Callable<Integer> {
    @Option(names = "--org", required = true, description = "Organization id.")
    long org;

    @Option(
        names = "--label",
        defaultValue = "cli",
        description = "A note to recognise the key by.")
    String label;

    @Option(names = "--json", description = "Print one JSON object on one line.")
    boolean json;

    @Override
    public Integer call() {
      try (AdminContext ctx = AdminContext.open()) {
        OrganizationService.NewKey k = ctx.organizations.createKey(org, label, ApiKey.Source.CLI);
        if (json) {
          Map<String, Object> m = json(k.key());
          m.put("apiKey", k.apiKey());
          System.out.println(Json.line(m));
        } else {
          System.out.println("API key " + k.key().id() + " (shown once): " + k.apiKey());
        }
        return 0;
      }
    }
  }

  @Command(
      name = "list",
      description = "List an organization's API keys (never the keys themselves).")
  static final class ListKeys implements Callable<Integer> {
    @Option(names = "--org", required = true, description = "Organization id.")
    long org;

    @Option(names = "--json", description = "Print one JSON array on one line.")
    boolean json;

    @Override
    public Integer call() {
      try (AdminContext ctx = AdminContext.open()) {
        List<ApiKey> keys = ctx.organizations.keys(org);
        if (json) {
          System.out.println(Json.line(keys.stream().map(KeyCommand::json).toList()));
        } else {
          for (ApiKey k : keys) {
            System.out.println(
                k.id()
                    + "\t"
                    + k.label()
                    + "\t"
                    + k.source().name().toLowerCase(java.util.Locale.ROOT)
                    + "\t"
                    + k.createdAt()
                    + "\t"
                    + k.revokedAt().map(r -> "revoked " + r).orElse("active"));
          }
        }
        return 0;
      }
    }
  }

  @Command(
      name = "revoke",
      description = "Revoke an API key; a running server refuses it within a second.")
  static final class Revoke implements Callable<Integer> {
    @Parameters(paramLabel = "KEY-ID", description = "The key's id (from key list).")
    long keyId;

    @Override
    public Integer call() {
      try (AdminContext ctx = AdminContext.open()) {
        boolean revoked = ctx.organizations.revoke(keyId);
        System.out.println(
            revoked ? "Revoked key " + keyId : "Key " + keyId + " was already revoked");
        return 0;
      }
    }
  }
}
