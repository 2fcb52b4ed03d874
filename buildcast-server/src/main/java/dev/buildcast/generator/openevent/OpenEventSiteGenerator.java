package dev.buildcast.generator.openevent;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.InputKind;
import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.ParamSpec;
import dev.buildcast.generator.ServerPaths;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.List;
import java.util.Optional;

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
    return List.of(new ParamSpec(LANGUAGE_PARAM,
        "Language tag of the event's texts for the pages' lang attribute, such as en or de (default en)", false));
  }

  @Override
  public Optional<String> siteFolder() {
    return Optional.of(OpenEventSite.SITE_FOLDER);
  }

  @Override
  public int run(JobContext context) throws InterruptedException {
    String language = context.params().getOrDefault(LANGUAGE_PARAM, "en");
    if (!language.matches("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")) {
      context.log().error("parameter " + LANGUAGE_PARAM + " \"" + language + "\" is not a language tag such as en or pt-BR");
      return 1;
    }
    try {
      new OpenEventSite(context, language).build();
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
