package dev.parlor.cli;

import dev.parlor.http.ApiException;
import dev.parlor.http.Json;
import dev.parlor.orgs.Organization;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.orgs.Plan;
import dev.parlor.themes.Colors;
import dev.parlor.themes.ThemeImage;
import dev.parlor.themes.ThemeService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "org",
    description = "Manage organizations.",
    subcommands = {OrgCommand.Create.class, OrgCommand.ListOrgs.class, OrgCommand.Theme.class})
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
          System.out.println(Json.line(m));
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
          System.out.println(Json.line(orgs.stream().map(OrgCommand::json).toList()));
        } else {
          for (Organization o : orgs) {
            System.out.println(o.id() + "\t" + o.name() + "\t" + plan(o));
          }
        }
        return 0;
      }
    }
  }

  @Command(
      name = "theme",
      description =
          "Set an organization's default theme (colors and logo), which its rooms use where they"
              + " set none of their own; without options, show it.")
  static final class Theme implements Callable<Integer> {
    @Option(names = "--org", required = true, description = "Organization id.")
    long org;

    @Option(names = "--primary", paramLabel = "#rrggbb", description = "Primary color.")
    String primary;

    @Option(names = "--secondary", paramLabel = "#rrggbb", description = "Secondary color.")
    String secondary;

    @Option(names = "--focus", paramLabel = "#rrggbb", description = "Focus color.")
    String focus;

    @Option(
        names = "--logo",
        paramLabel = "FILE",
        description = "Logo image: PNG, JPEG or WebP, at most 1 MB; its metadata is stripped.")
    Path logo;

    @Option(
        names = "--reset",
        description = "Remove the organization's default colors and logo first.")
    boolean reset;

    @Option(names = "--json", description = "Print one JSON object on one line.")
    boolean json;

    @Override
    public Integer call() {
      Colors colors =
          new Colors(
              color("--primary", primary),
              color("--secondary", secondary),
              color("--focus", focus));
      try (AdminContext ctx = AdminContext.open()) {
        if (ctx.organizations.find(org).isEmpty()) {
          throw new IllegalArgumentException("no organization with id " + org);
        }
        ThemeService themes = ctx.themes();
        try {
          if (reset) {
            themes.resetOrganization(org);
          }
          if (!colors.isEmpty()) {
            themes.setOrganizationColors(org, colors);
          }
          if (logo != null) {
            try (InputStream in = Files.newInputStream(logo)) {
              themes.setOrganizationLogo(org, in);
            } catch (NoSuchFileException e) {
              throw new IllegalArgumentException("--logo: no such file: " + logo);
            } catch (IOException e) {
              throw new IllegalArgumentException(
                  "--logo: cannot read " + logo + ": " + e.getMessage());
            }
          }
        } catch (ApiException e) {
          throw new IllegalArgumentException((logo != null ? "--logo: " : "") + e.getMessage());
        }
        print(themes.organizationTheme(org));
        return 0;
      }
    }

    private static Optional<String> color(String option, String value) {
      if (value == null) {
        return Optional.empty();
      }
      if (!Colors.isColor(value)) {
        throw new IllegalArgumentException(
            option + " must be a hex color like #1a2b3c, got '" + value + "'");
      }
      return Optional.of(value.toLowerCase(java.util.Locale.ROOT));
    }

    private void print(ThemeService.OrganizationTheme t) {
      if (json) {
        Map<String, Object> colors = new LinkedHashMap<>();
        colors.put("primary", t.colors().primary().orElse(null));
        colors.put("secondary", t.colors().secondary().orElse(null));
        colors.put("focus", t.colors().focus().orElse(null));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("organizationId", Long.toString(org));
        m.put("colors", colors);
        m.put("logo", t.logo().map(Theme::logoJson).orElse(null));
        System.out.println(Json.line(m));
        return;
      }
      System.out.println("Organization " + org + " theme defaults:");
      System.out.println("primary\t" + shown(t.colors().primary(), Colors.BUILT_IN.primary()));
      System.out.println(
          "secondary\t" + shown(t.colors().secondary(), Colors.BUILT_IN.secondary()));
      System.out.println("focus\t" + shown(t.colors().focus(), Colors.BUILT_IN.focus()));
      System.out.println(
          "logo\t"
              + t.logo()
                  .map(
                      l ->
                          l.format().displayName()
                              + " "
                              + l.width()
                              + "x"
                              + l.height()
                              + ", "
                              + l.sizeBytes()
                              + " bytes, sha256 "
                              + l.sha256())
                  .orElse("(none)"));
    }

    private static String shown(Optional<String> set, Optional<String> builtIn) {
      return set.orElseGet(() -> "(not set: Parlor's " + builtIn.orElseThrow() + ")");
    }

    private static Map<String, Object> logoJson(ThemeImage.Uploaded l) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("contentType", l.format().contentType());
      m.put("width", l.width());
      m.put("height", l.height());
      m.put("sizeBytes", l.sizeBytes());
      m.put("sha256", l.sha256());
      return m;
    }
  }
}
