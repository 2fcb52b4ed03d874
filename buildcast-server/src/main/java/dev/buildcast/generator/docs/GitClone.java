package dev.buildcast.generator.docs;

import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.transport.URIish;

/**
 * Clones one branch of a repository with JGit: shallow (depth 1), no tags, no submodules, stopped
 * when it fetches more than {@code cloneMaxBytes} or takes longer than {@code cloneTimeout}. The
 * files are checked out only after the fetched tree was measured (file count and unpacked size),
 * and with {@code core.symlinks=false}, so a link in the repository becomes a small text file
 * instead of a way out of the job's folder. Git never transfers hooks, and this repository gets
 * none, so nothing from the remote runs.
 */
final class GitClone {

  static final long MAX_CHECKOUT_BYTES = 1L << 30;

  private final DocsSiteSettings settings;
  private final LogSink log;
  private final Clock clock;

  GitClone(DocsSiteSettings settings, LogSink log, Clock clock) {
    this.settings = settings;
    this.log = log;
    this.clock = clock;
  }

  Path cloneInto(String url, java.util.Optional<String> branch, Path target) throws DocsProblem, IOException, InterruptedException {
    GitUrls.check(DocsOptions.GIT_URL, url, settings.allowLocalRepositories());
    log.group("Cloning " + url);
    String name = pickBranch(url, branch);
    log.notice("Cloning branch " + name + " (shallow)");
    Limits limits = new Limits(target, settings.cloneMaxBytes(), clock.instant().plus(settings.cloneTimeout()), clock);
    try (Git git = Git.cloneRepository()
        .setURI(url)
        .setDirectory(target.toFile())
        .setBranch(name)
        .setBranchesToClone(List.of(Constants.R_HEADS + name))
        .setDepth(1)
        .setNoTags()
        .setCloneSubmodules(false)
        .setNoCheckout(true)
        .setTimeout(timeoutSeconds())
        .setProgressMonitor(limits)
        .call()) {
      Repository repo = git.getRepository();
      if (limits.packBytes() > settings.cloneMaxBytes()) {
        // why again here: a small fetch can end between two of the monitor's checks
        throw new DocsProblem("the clone fetched more than " + settings.cloneMaxBytes() / (1024 * 1024) + " MiB (the operator's limit, docsSite.cloneMaxBytes)");
      }
      checkTree(repo, name);
      StoredConfig config = repo.getConfig();
      config.setBoolean("core", null, "symlinks", false);
      config.save();
      git.reset().setMode(ResetCommand.ResetType.HARD).setRef(Constants.HEAD).call();
      log.notice("Cloned " + name + " at " + repo.resolve(Constants.HEAD).abbreviate(10).name());
    } catch (GitAPIException | org.eclipse.jgit.api.errors.JGitInternalException e) {
      Cancellation.throwIfInterrupted();
      throw new DocsProblem(limits.stopReason().orElse("could not clone " + url + ": " + rootMessage(e)), e);
    } finally {
      log.endGroup();
    }
    return target;
  }

  /** The branch asked for if the remote has it, else its default branch; an empty remote is refused. */
  private String pickBranch(String url, java.util.Optional<String> wanted) throws DocsProblem {
    Map<String, Ref> refs;
    try {
      refs = Git.lsRemoteRepository().setRemote(url).setTimeout(timeoutSeconds()).callAsMap();
    } catch (GitAPIException e) {
      throw new DocsProblem("could not reach the repository at " + url + ": " + rootMessage(e), e);
    }
    List<String> branches = refs.keySet().stream().filter(r -> r.startsWith(Constants.R_HEADS)).sorted().toList();
    if (branches.isEmpty()) throw new DocsProblem("the repository at " + url + " is empty: it has no branch to build");
    if (wanted.isPresent()) {
      if (branches.contains(Constants.R_HEADS + wanted.get())) return wanted.get();
      throw new DocsProblem("the repository has no branch " + wanted.get() + "; its branches: " + names(branches));
    }
    Ref head = refs.get(Constants.HEAD);
    if (head != null && head.isSymbolic()) return Repository.shortenRefName(head.getTarget().getName());
    return Repository.shortenRefName(branches.contains("refs/heads/main") ? "refs/heads/main" : branches.get(0));
  }

  /** Refuses a tree with too many files or too many bytes before anything is written out. */
  private void checkTree(Repository repo, String branch) throws DocsProblem, IOException {
    ObjectId head = repo.resolve(Constants.HEAD);
    if (head == null) throw new DocsProblem("the repository has no branch " + branch);
    long files = 0;
    long bytes = 0;
    try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader(); TreeWalk tree = new TreeWalk(reader)) {
      tree.addTree(walk.parseCommit(head).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        files++;
        bytes += reader.getObjectSize(tree.getObjectId(0), Constants.OBJ_BLOB);
        if (files > settings.maxFiles()) {
          throw new DocsProblem("the repository holds more than " + settings.maxFiles() + " files (the operator's limit, docsSite.maxFiles)");
        }
        if (bytes > MAX_CHECKOUT_BYTES) {
          throw new DocsProblem("the repository's files add up to more than " + MAX_CHECKOUT_BYTES / (1024 * 1024) + " MiB");
        }
      }
    }
    log.detail("fetched tree: " + files + " files, " + bytes + " bytes");
  }

  private int timeoutSeconds() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, settings.cloneTimeout().toSeconds()));
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.equals(e.getMessage()) ? message : e.getMessage() + " (" + message + ")";
  }

  /**
   * JGit asks its progress monitor whether to cancel while it fetches; this one says yes when the
   * thread was interrupted, the clock passed the deadline, or the pack being received grew past the
   * byte limit, and remembers why. Each finished task goes to the detailed log. (JGit's batching
   * monitor is not used: it starts a timer thread of its own.)
   */
  private final class Limits implements ProgressMonitor {
    private final Path target;
    private final long maxBytes;
    private final Instant deadline;
    private final Clock clock;
    private volatile String stopReason;
    private int calls;
    private String task = "";
    private long work;

    Limits(Path target, long maxBytes, Instant deadline, Clock clock) {
      this.target = target;
      this.maxBytes = maxBytes;
      this.deadline = deadline;
      this.clock = clock;
    }

    java.util.Optional<String> stopReason() {
      return java.util.Optional.ofNullable(stopReason);
    }

    @Override
    public boolean isCancelled() {
      if (stopReason != null) return true;
      if (Thread.currentThread().isInterrupted()) {
        stopReason = "cancelled";
      } else if (clock.instant().isAfter(deadline)) {
        stopReason = "the clone took longer than " + settings.cloneTimeout().toSeconds() + " s (the operator's limit, docsSite.cloneTimeout)";
      } else if ((++calls & 15) == 0 && packBytes() > maxBytes) {
        stopReason = "the clone fetched more than " + maxBytes / (1024 * 1024) + " MiB (the operator's limit, docsSite.cloneMaxBytes)";
      }
      return stopReason != null;
    }

    long packBytes() {
      Path pack = target.resolve(".git/objects/pack");
      if (!Files.isDirectory(pack)) return 0;
      try (Stream<Path> files = Files.list(pack)) {
        return files.mapToLong(f -> f.toFile().length()).sum();
      } catch (IOException e) {
        return 0;
      }
    }

    @Override
    public void start(int totalTasks) {}

    @Override
    public void beginTask(String title, int totalWork) {
      task = title;
      work = 0;
    }

    @Override
    public void update(int completed) {
      work += completed;
    }

    @Override
    public void endTask() {
      log.detail(task + ": " + work);
    }

    @Override
    public void showDuration(boolean enabled) {}
  }

  static String names(Collection<String> refs) {
    return refs.stream().map(Repository::shortenRefName).collect(Collectors.joining(", "));
  }
}
