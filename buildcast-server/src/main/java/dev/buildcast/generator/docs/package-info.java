/**
 * The built-in {@code docs-site} generator: turns a repository of Markdown (or, when the operator
 * allows it, a Sphinx project) into a static documentation website, and optionally publishes it to
 * a branch of a git remote.
 *
 * <p>It owns getting the sources (a safely unpacked zip or a shallow JGit clone), reading the docs
 * folder without ever following a symbolic link, navigation, rendering pages with commonmark-java,
 * checking links, copying images that really are images, the search index, the theme, packaging
 * and publishing. It imports only the JDK, the generator and log packages, commonmark, jsoup,
 * Jackson (for {@code mkdocs.yml}) and JGit; nothing of jobs, HTTP or sockets. The entry point is
 * {@link DocsSiteGenerator}; the rest is package-private.
 */
package dev.buildcast.generator.docs;
