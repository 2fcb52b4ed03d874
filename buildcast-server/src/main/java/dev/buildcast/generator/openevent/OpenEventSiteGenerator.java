package dev.buildcast.generator.openevent;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.InputKind;
import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.ParamSpec;
import dev.buildcast.generator.ServerPaths;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The built-in {@code open-event-site} generator: turns an uploaded Open Event export zip (either
 * schema generation) into a static event website, logging each step live. The site is the
 * artifact {@code site.zip}; the unpacked site stays in {@code <workDir>/site/} for previews.
 *
 * <p>This class only describes the generator and maps outcomes to exit codes; the work is done by
 * {@link OpenEventSite} and the classes of this package.
 */
public final class OpenEventSiteGenerator implements Generator {

  /** The artifact written to the job's output dir. */
  public static final String ARTIFACT = OpenEventSite.ARTIFACT;

  static final String LANGUAGE_PARAM = "language";

  private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");

  private final RemoteImageSettings remoteImages;
  private final Clock clock;

  /** Remote images linked, never downloaded. */
  public OpenEventSiteGenerator() {
    this(RemoteImageSettings.off(), Clock.systemUTC());
  }

  /**
   * @param remoteImages the operator's choice about downloading images the export names by address
   * @param clock measures the time budget of those downloads
   */
  public OpenEventSiteGenerator(RemoteImageSettings remoteImages, Clock clock) {
    this.remoteImages = remoteImages;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "open-event-site";
  }

  @Override
  public String description() {
    return "Builds a static event website (schedule, sessions, speakers, sponsors) from an Open Event export zip";
  }

  @Override
  public InputKind input() {
    return InputKind.ZIP;
  }

  @Override
  public List<ParamSpec> params() {
    return List.of(
        new ParamSpec(LANGUAGE_PARAM,
            "Language of the site's labels and dates, and the pages' lang attribute: one of "
                + String.join(", ", Labels.SUPPORTED) + ", optionally with a region such as zh-CN (default en)", false),
        new ParamSpec(SiteAddress.PARAM,
            "The address the site will be published at (https://…/); session pages then carry share links"
                + " that need no script, and every page its og:url (without it, share links appear only when"
                + " the page is opened over http(s) with scripts on)", false));
  }

  @Override
  public Optional<String> paramProblem(Map<String, String> params, boolean hasInput) {
    String language = params.get(LANGUAGE_PARAM);
    if (language != null && !isOffered(language)) return Optional.of("Parameter " + languageProblem(language));
    String siteUrl = params.get(SiteAddress.PARAM);
    if (siteUrl != null) return SiteAddress.problem(siteUrl).map(problem -> "Parameter " + problem);
    return Optional.empty();
  }

  /** "language "xx" is not a language ...; use one of ...". */
  private static String languageProblem(String language) {
    return LANGUAGE_PARAM + " \"" + dev.buildcast.BuildcastException.excerpt(language)
        + "\" is not a language the site can be written in; use one of " + String.join(", ", Labels.SUPPORTED)
        + " (a region may follow, as in zh-CN).";
  }

  private static boolean isOffered(String language) {
    return LANGUAGE_TAG.matcher(language).matches() && Labels.forTag(language).isPresent();
  }

  @Override
  public Optional<String> siteFolder() {
    return Optional.of(OpenEventSite.SITE_FOLDER);
  }

  @Override
  public int run(JobContext context) throws InterruptedException {
    String language = context.params().getOrDefault(LANGUAGE_PARAM, "en");
    if (!isOffered(language)) {
      // why: jobs started without the submit check (tests, a future caller) still get a clear line
      context.log().error("parameter " + languageProblem(language));
      return 1;
    }
    String siteUrl = context.params().get(SiteAddress.PARAM);
    Optional<String> siteUrlProblem = siteUrl == null ? Optional.empty() : SiteAddress.problem(siteUrl);
    if (siteUrlProblem.isPresent()) {
      context.log().error("parameter " + siteUrlProblem.get());
      return 1;
    }
    try {
      new OpenEventSite(context, language, siteUrl == null ? null : SiteAddress.parse(siteUrl).orElseThrow(), ZipLimits.DEFAULT,
          remoteImages, clock).build();
      return 0;
    } catch (BrokenExportException e) {
      return 1; // why: OpenEventSite has already written the basic error line inside its step
    } catch (IOException e) {
      if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
        // why: NIO file channels abort with an IOException when the thread is interrupted mid-write;
        // that is a cancel, and the contract says cancels surface as InterruptedException
        Thread.interrupted();
        InterruptedException cancelled = new InterruptedException("open-event-site job cancelled");
        cancelled.initCause(e);
        throw cancelled;
      }
      // why relative: the absolute path would show users how the server's data folder is laid out
      context.log().error("could not read or write a file: " + ServerPaths.hidden(e.getMessage(), context)
          + " (" + e.getClass().getSimpleName() + ")");
      return 1;
    }
  }
}
