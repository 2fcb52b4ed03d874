package dev.buildcast.generator.docs;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.InputKind;
import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.ParamSpec;
import dev.buildcast.generator.SecretSpec;
import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in {@code docs-site} generator: a documentation website from a repository (an uploaded
 * zip, or a git URL cloned with JGit), built from Markdown, or with Sphinx for a project with a
 * {@code conf.py} when the operator allows it; packaged as {@code site.zip}, previewable from
 * {@code <workDir>/site/}, and pushed to a branch of a git remote when asked.
 *
 * <p>This class describes the generator and runs the steps in order; a {@link DocsProblem} from any
 * step becomes the job's basic error line and exit code 1.
 */
public final class DocsSiteGenerator implements Generator {

  /** The folder under the work folder holding the finished site (the preview). */
  public static final String SITE_FOLDER = "site";
  static final String SOURCE_FOLDER = "source";

  private final DocsSiteSettings settings;
  private final Clock clock;

  /** @param clock measures the clone's time limit */
  public DocsSiteGenerator(DocsSiteSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "docs-site";
  }

  @Override
  public String description() {
    return "Builds a documentation website from a repository of Markdown (or a Sphinx project): upload a zip of it, or give its git URL";
  }

  @Override
  public InputKind input() {
    return InputKind.ZIP;
  }

  @Override
  public boolean inputRequired() {
    return false;
  }

  @Override
  public List<ParamSpec> params() {
    return List.of(
        new ParamSpec(DocsOptions.GIT_URL, "https address of the git repository to build, instead of uploading a zip of it", false),
        new ParamSpec(DocsOptions.BRANCH, "Branch to clone (default: the repository's default branch)", false),
        new ParamSpec(DocsOptions.DOCS_FOLDER, "Folder of the docs inside the repository (default: docs when it holds Markdown, else the top)", false),
        new ParamSpec(DocsOptions.THEME, "auto (follows the reader's system), light or dark (default auto)", false),
        new ParamSpec(DocsOptions.SITE_NAME, "Name shown on every page (default: site_name of mkdocs.yml, else the repository's name)", false),
        new ParamSpec(DocsOptions.PUBLISH_REMOTE,
            "https address of a git repository to push the site to (with the job's publish_token secret, else the server's configured token)", false),
        new ParamSpec(DocsOptions.PUBLISH_BRANCH, "Branch the site is committed to when publishing (default gh-pages)", false));
  }

  @Override
  public List<SecretSpec> secrets() {
    return List.of(new SecretSpec(SitePublisher.PUBLISH_TOKEN,
        "Token the site is pushed with (HTTP basic, user x-access-token, https only); kept in memory only, never stored"));
  }

  /**
   * Everything {@link #run} would refuse in the parameters alone — neither upload nor {@code git_url}
   * (or both), a bad branch, folder, theme or name, a git address that is not https or names this
   * machine — is refused at submit; the repository itself can only be judged once cloned.
   */
  @Override
  public Optional<String> paramProblem(Map<String, String> params, boolean hasInput) {
    try {
      DocsOptions options = DocsOptions.parse(params, hasInput);
      if (options.gitUrl().isPresent()) GitUrls.check(DocsOptions.GIT_URL, options.gitUrl().get(), settings.allowLocalRepositories());
      if (options.publishRemote().isPresent()) {
        GitUrls.checkPublish(options.publishRemote().get(), settings.allowLocalRepositories(), settings.publishSsh().isPresent());
      }
      return Optional.empty();
    } catch (DocsProblem problem) {
      String message = problem.getMessage();
      return Optional.of(Character.toUpperCase(message.charAt(0)) + message.substring(1) + (message.endsWith(".") ? "" : "."));
    }
  }

  @Override
  public Optional<String> siteFolder() {
    return Optional.of(SITE_FOLDER);
  }

  @Override
  public int run(JobContext context) throws InterruptedException {
    LogSink log = context.log();
    settings.publishToken().ifPresent(log::mask);
    try {
      DocsOptions options = DocsOptions.parse(context.params(), context.input().isPresent());
      build(context, options);
      return 0;
    } catch (DocsProblem e) {
      log.error(e.getMessage());
      return 1;
    } catch (IOException e) {
      if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
        // why: NIO aborts with an IOException when the thread is interrupted; the contract wants a cancel
        Thread.interrupted();
        InterruptedException cancelled = new InterruptedException("docs-site job cancelled");
        cancelled.initCause(e);
        throw cancelled;
      }
      log.error("could not read or write a file: " + e.getMessage());
      return 1;
    }
  }

  private void build(JobContext context, DocsOptions options) throws DocsProblem, IOException, InterruptedException {
    LogSink log = context.log();
    Path sourceDir = context.workDir().resolve(SOURCE_FOLDER);
    Path repoRoot;
    Optional<String> repoName;
    if (context.input().isPresent()) {
      log.group("Unpacking the repository");
      repoRoot = new RepositoryZip(settings.maxFiles()).unpack(context.input().get(), sourceDir);
      repoName = Optional.empty();
      log.endGroup();
    } else {
      String url = options.gitUrl().orElseThrow();
      GitClone clone = new GitClone(settings, log, clock);
      repoRoot = clone.cloneInto(url, options.branch(), sourceDir);
      repoName = GitUrls.repositoryName(url);
    }
    log.progress(15);
    Path docsRoot = docsRoot(repoRoot, options);
    Path siteDir = context.workDir().resolve(SITE_FOLDER);
    Files.createDirectories(siteDir);
    Optional<String> siteName = options.siteName().or(() -> repoName);
    if (Files.isRegularFile(docsRoot.resolve("conf.py"), LinkOption.NOFOLLOW_LINKS)) {
      new SphinxBuild(settings, context).build(docsRoot, siteDir, context.workDir());
    } else {
      new MarkdownSite(log, settings.maxFiles()).build(repoRoot, docsRoot, siteDir, siteName, options.theme());
    }
    log.progress(90);
    int files = SiteZip.pack(siteDir, context.outputDir().resolve(SiteZip.ARTIFACT));
    log.detail("wrote " + SiteZip.ARTIFACT + " (" + files + " files)");
    if (options.publishRemote().isPresent()) {
      new SitePublisher(settings, log, context.secrets()).publish(siteDir, options.publishRemote().get(), options.publishBranch(), context.workDir(), context.jobId());
    }
    log.notice("The site is ready: " + SiteZip.ARTIFACT + ", and the preview");
  }

  static Path docsRoot(Path repoRoot, DocsOptions options) throws DocsProblem, IOException {
    if (options.docsFolder().isPresent()) {
      Path folder = repoRoot.resolve(options.docsFolder().get()).normalize();
      if (!folder.startsWith(repoRoot) || !SourceTree.isRealFolderInside(repoRoot, folder)) {
        throw new DocsProblem("the repository has no folder " + DocsOptions.excerpt(options.docsFolder().get())
            + " (docs_folder must name a folder of it, not a file or a symbolic link)");
      }
      return folder;
    }
    Path docs = repoRoot.resolve("docs");
    if (SourceTree.isRealFolderInside(repoRoot, docs) && containsMarkdownOrConf(docs)) return docs;
    return repoRoot;
  }

  private static boolean containsMarkdownOrConf(Path folder) throws IOException {
    if (Files.isRegularFile(folder.resolve("conf.py"), LinkOption.NOFOLLOW_LINKS)) return true;
    try (var walk = Files.walk(folder, 4)) {
      return walk.anyMatch(p -> SourceTree.isMarkdown(p.getFileName().toString()) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
    }
  }
}
