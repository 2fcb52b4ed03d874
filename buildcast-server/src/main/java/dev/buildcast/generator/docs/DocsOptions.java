package dev.buildcast.generator.docs;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A docs-site job's parameters, checked. Every refusal names the parameter and what it accepts.
 *
 * @param gitUrl the repository to clone, when the job has no uploaded zip
 * @param branch the branch to clone (the remote's default branch when absent)
 * @param docsFolder the folder holding the docs, relative to the repository (absent: {@code docs}
 *     when it holds Markdown, else the repository's top)
 * @param theme {@code auto} (follows the reader's system), {@code light} or {@code dark}
 * @param siteName the name in every page's header (absent: from {@code mkdocs.yml}, else the
 *     repository's name)
 * @param publishRemote where to push the site, when asked
 * @param publishBranch the branch the site is committed to
 */
record DocsOptions(
    Optional<String> gitUrl,
    Optional<String> branch,
    Optional<String> docsFolder,
    String theme,
    Optional<String> siteName,
    Optional<String> publishRemote,
    String publishBranch) {

  static final String GIT_URL = "git_url";
  static final String BRANCH = "branch";
  static final String DOCS_FOLDER = "docs_folder";
  static final String THEME = "theme";
  static final String SITE_NAME = "site_name";
  static final String PUBLISH_REMOTE = "publish_remote";
  static final String PUBLISH_BRANCH = "publish_branch";

  private static final Pattern BRANCH_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}");
  static final List<String> THEMES = List.of("auto", "light", "dark");
  static final String DEFAULT_PUBLISH_BRANCH = "gh-pages";

  static DocsOptions parse(Map<String, String> params, boolean hasUpload) throws DocsProblem {
    Optional<String> gitUrl = nonBlank(params, GIT_URL);
    if (hasUpload == gitUrl.isPresent()) {
      throw new DocsProblem(hasUpload
          ? "give either an uploaded zip or the parameter " + GIT_URL + ", not both"
          : "nothing to build: upload a zip of the repository, or set the parameter " + GIT_URL + " to its https address");
    }
    Optional<String> branch = nonBlank(params, BRANCH);
    if (branch.isPresent()) checkBranch(BRANCH, branch.get());
    Optional<String> folder = nonBlank(params, DOCS_FOLDER).map(f -> f.replaceAll("/+$", ""));
    if (folder.isPresent() && !isPlainRelative(folder.get())) {
      throw new DocsProblem("parameter " + DOCS_FOLDER + " must be a folder inside the repository such as docs or site/src, got \""
          + excerpt(folder.get()) + "\"");
    }
    String theme = nonBlank(params, THEME).orElse("auto");
    if (!THEMES.contains(theme)) {
      throw new DocsProblem("parameter " + THEME + " must be one of " + THEMES + ", got \"" + excerpt(theme) + "\"");
    }
    Optional<String> siteName = nonBlank(params, SITE_NAME);
    if (siteName.isPresent() && (siteName.get().length() > 200 || siteName.get().chars().anyMatch(Character::isISOControl))) {
      throw new DocsProblem("parameter " + SITE_NAME + " must be one line of at most 200 characters");
    }
    Optional<String> remote = nonBlank(params, PUBLISH_REMOTE);
    String publishBranch = nonBlank(params, PUBLISH_BRANCH).orElse(DEFAULT_PUBLISH_BRANCH);
    checkBranch(PUBLISH_BRANCH, publishBranch);
    if (remote.isEmpty() && params.containsKey(PUBLISH_BRANCH)) {
      throw new DocsProblem("parameter " + PUBLISH_BRANCH + " needs " + PUBLISH_REMOTE + ": the repository to push the site to");
    }
    return new DocsOptions(gitUrl, branch, folder, theme, siteName, remote, publishBranch);
  }

  private static Optional<String> nonBlank(Map<String, String> params, String name) {
    return Optional.ofNullable(params.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static void checkBranch(String param, String branch) throws DocsProblem {
    // why not JGit's own check: loading JGit costs seconds on a first job that never touches git
    boolean valid = BRANCH_NAME.matcher(branch).matches() && !branch.contains("..") && !branch.contains("//")
        && !branch.endsWith("/") && !branch.endsWith(".") && !branch.endsWith(".lock") && !branch.contains("/.");
    if (!valid) {
      throw new DocsProblem("parameter " + param + " \"" + excerpt(branch) + "\" is not a valid branch name");
    }
  }

  static boolean isPlainRelative(String path) {
    return !path.isEmpty() && !path.startsWith("/") && !path.contains("\\") && path.indexOf('\0') < 0
        && Arrays.stream(path.split("/")).noneMatch(part -> part.isEmpty() || part.equals(".") || part.equals(".."));
  }

  static String excerpt(String text) {
    String line = text.replaceAll("\\p{Cntrl}", "?");
    return line.length() <= 80 ? line : line.substring(0, 80) + "…";
  }
}
