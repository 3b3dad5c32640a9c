package dev.parlor.cli;

import dev.parlor.http.Json;
import dev.parlor.orgs.Organization;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.orgs.Plan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "org",
    description = "Manage organizations.",
    subcommands = {OrgCommand.Create.class, OrgCommand.ListOrgs.class})
final class OrgCommand {

  static Map<String, Object> json(Organization o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("organizationId", Long.toString(o.id()));
    m.put("name", o.name());
    m.put(
        "pointsPerMinute",
        o.pointsPerMinute().isPresent() ? o.pointsPerMinute().getAsLong() : null);
    m.put("createdAt", o.createdAt().toString());
    return m;
  }

  static String plan(Organization o) {
    return o.pointsPerMinute().isPresent()
        ? o.pointsPerMinute().getAsLong() + " points/minute"
        : "unlimited";
  }

  @Command(name = "create", description = "Create an organization and its first API key.")
  static final class Create implements Callable<Integer> {
    @Option(names = "--name", required = true, description = "Organization name (unique).")
    String name;

    @Option(
        names = "--plan",
        defaultValue = "grow",
        description = "build (100/min), grow (1000/min), unlimited, or points per minute.")
    String plan;

    @Option(names = "--json", description = "Print one JSON object on one line.")
    boolean json;

    @Override
    public Integer call() {
      try (AdminContext ctx = AdminContext.open()) {
        OrganizationService.Created c = ctx.organizations.create(name, Plan.parse(plan));
        if (json) {
          Map<String, Object> m = json(c.organization());
          m.put("keyId", Long.toString(c.key().id()));
          m.put("apiKey", c.apiKey());
          System.out.println(new String(Json.bytes(m), java.nio.charset.StandardCharsets.UTF_8));
        } else {
          System.out.println(
              "Organization "
                  + c.organization().id()
                  + " '"
                  + c.organization().name()
                  + "' ("
                  + plan(c.organization())
                  + ")");
          System.out.println("API key " + c.key().id() + " (shown once): " + c.apiKey());
        }
        return 0;
      }
    }
  }

  @Command(name = "list", description = "List organizations.")
  static final class ListOrgs implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON array on one line.")
    boolean json;

    @Override
    public Integer call() {
      try (AdminContext ctx = AdminContext.open()) {
        List<Organization> orgs = ctx.organizations.list();
        if (json) {
          System.out.println(
              new String(
                  Json.bytes(orgs.stream().map(OrgCommand::json).toList()),
                  java.nio.charset.StandardCharsets.UTF_8));
        } else {
          for (Organization o : orgs) {
            System.out.println(o.id() + "\t" + o.name() + "\t" + plan(o));
          }
        }
        return 0;
      }
    }
  }
}
