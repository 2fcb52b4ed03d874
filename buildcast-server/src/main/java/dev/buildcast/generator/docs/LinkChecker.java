package dev.buildcast.generator.docs;

import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;

/**
 * Rewrites and checks the relative links and images of every page. A link to a page becomes a
 * link to its {@code .html} (with its {@code #fragment} checked against the target's headings), a
 * link to a folder goes to that folder's index page, and an image is kept only when it is a real
 * image in the docs folder (it is then copied). Anything else — a missing file, a heading that is
 * not there, a path that leaves the docs folder, a file that is not part of the site — is a basic
 * warning naming the file and line, and the link is taken out (its text stays).
 *
 * <p>Links and images written as raw HTML get the same treatment ({@link RawHtmlLinks}).
 *
 * <p>Only the link text is ever touched: nothing is followed, so a loop of pages linking to each
 * other is just links.
 */
final class LinkChecker {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

  private final SourceTree tree;
  private final Map<String, Page> pagesBySource;
  private final Map<String, Page> pagesByOutput;
  private final Map<Node, Boolean> anchorLinks;
  private final LogSink log;
  /** Images to copy into the site, as paths in the docs folder. */
  final Set<String> images = new TreeSet<>();
  private final Set<String> notImages = new TreeSet<>();
  int warnings;

  LinkChecker(SourceTree tree, Map<String, Page> pagesBySource, Map<String, Page> pagesByOutput, Map<Node, Boolean> anchorLinks,
      LogSink log) {
    this.tree = tree;
    this.pagesBySource = pagesBySource;
    this.pagesByOutput = pagesByOutput;
    this.anchorLinks = anchorLinks;
    this.log = log;
  }

  void check(Page page) throws IOException {
    List<Node> targets = new ArrayList<>();
    List<Node> rawHtml = new ArrayList<>();
    page.document.accept(new AbstractVisitor() {
      @Override
      public void visit(HtmlBlock html) {
        rawHtml.add(html);
      }

      @Override
      public void visit(HtmlInline html) {
        rawHtml.add(html);
      }

      @Override
      public void visit(Link link) {
        if (!anchorLinks.containsKey(link)) targets.add(link);
        visitChildren(link);
      }

      @Override
      public void visit(Image image) {
        targets.add(image);
        visitChildren(image);
      }
    });
    for (Node node : targets) {
      boolean image = node instanceof Image;
      String destination = image ? ((Image) node).getDestination() : ((Link) node).getDestination();
      Optional<String> rewritten = resolve(page, destination, image, line(node));
      if (rewritten.isEmpty()) {
        unlink(node);
      } else if (image) {
        ((Image) node).setDestination(rewritten.get());
      } else {
        ((Link) node).setDestination(rewritten.get());
      }
    }
    RawHtmlLinks.Resolver resolver = (address, image, line) -> resolve(page, address, image, line);
    for (Node node : rawHtml) {
      if (node instanceof HtmlBlock block) {
        block.setLiteral(RawHtmlLinks.rewrite(block.getLiteral(), line(block), resolver));
      } else if (node instanceof HtmlInline inline) {
        inline.setLiteral(RawHtmlLinks.rewrite(inline.getLiteral(), line(inline), resolver));
      }
    }
  }

  /** The destination to write, or empty when the link must go (a warning was written). */
  Optional<String> resolve(Page page, String destination, boolean image, int line) throws IOException {
    if (destination.isEmpty() || SCHEME.matcher(destination).matches() || destination.startsWith("//")) {
      return Optional.of(destination);
    }
    int hash = destination.indexOf('#');
    String fragment = hash < 0 ? "" : destination.substring(hash + 1);
    String beforeHash = hash < 0 ? destination : destination.substring(0, hash);
    int question = beforeHash.indexOf('?');
    String rawPath = question < 0 ? beforeHash : beforeHash.substring(0, question);
    if (rawPath.isEmpty()) {
      return anchorOk(page, page, fragment, destination, line) ? Optional.of(destination) : Optional.empty();
    }
    String path;
    try {
      path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return warn(page, line, destination, "it is not a valid path");
    }
    Optional<String> target = normalise(path.startsWith("/") ? path.substring(1) : Page.folderOf(page.source) + path);
    if (target.isEmpty() || path.indexOf('\0') >= 0) {
      return warn(page, line, destination, "it leaves the docs folder");
    }
    String resolved = target.get();
    Optional<Page> linked = pageAt(resolved);
    if (linked.isPresent() && !image) {
      Page to = linked.get();
      if (!anchorOk(page, to, fragment, destination, line)) return Optional.empty();
      return Optional.of(relative(page.output, to.output) + (fragment.isEmpty() ? "" : "#" + fragment));
    }
    if (tree.files().contains(resolved) && ImageKind.looksLikeImage(resolved)) {
      if (images.contains(resolved) || (!notImages.contains(resolved) && ImageKind.of(tree.root().resolve(resolved)).isPresent())) {
        images.add(resolved);
        return Optional.of(relative(page.output, resolved));
      }
      notImages.add(resolved);
      return warn(page, line, destination, "the file is not a real image (its bytes do not match its name), so it is not copied");
    }
    if (tree.files().contains(resolved)) {
      return warn(page, line, destination, "only pages and images (PNG, JPEG, GIF, WebP, AVIF, BMP, ICO) are part of the site");
    }
    return warn(page, line, destination, "no such page or image in the docs folder");
  }

  private Optional<Page> pageAt(String resolved) {
    String folder = resolved.isEmpty() || resolved.endsWith("/") ? resolved : resolved + "/";
    Page page = pagesBySource.get(resolved);
    if (page == null) page = pagesByOutput.get(resolved);
    if (page == null && !tree.files().contains(resolved)) page = pagesByOutput.get(folder + "index.html");
    return Optional.ofNullable(page);
  }

  private boolean anchorOk(Page from, Page to, String fragment, String destination, int line) {
    if (fragment.isEmpty()) return true;
    String decoded = URLDecoder.decode(fragment.replace("+", "%2B"), StandardCharsets.UTF_8);
    if (to.anchors.contains(decoded) || to.anchors.contains(fragment)) return true;
    warn(from, line, destination, to == from ? "no heading with that anchor on this page" : "no heading with that anchor in " + to.source);
    return false;
  }

  private Optional<String> warn(Page page, int line, String destination, String why) {
    warnings++;
    log.warning(page.source + (line > 0 ? ":" + line : "") + ": broken link " + DocsOptions.excerpt(destination) + ": " + why);
    return Optional.empty();
  }

  /** Resolves {@code .} and {@code ..}; empty when the path climbs above the top. */
  static Optional<String> normalise(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".")) continue;
      if (part.equals("..")) {
        if (parts.isEmpty()) return Optional.empty();
        parts.removeLast();
      } else {
        parts.addLast(part);
      }
    }
    String joined = String.join("/", parts);
    return Optional.of(path.endsWith("/") && !joined.isEmpty() ? joined + "/" : joined);
  }

  /** The relative URL from the site file {@code from} to the site file {@code to}. */
  static String relative(String from, String to) {
    String[] fromParts = Page.folderOf(from).split("/");
    String[] toParts = to.split("/");
    int fromDepth = Page.folderOf(from).isEmpty() ? 0 : fromParts.length;
    int common = 0;
    while (common < fromDepth && common < toParts.length - 1 && fromParts[common].equals(toParts[common])) common++;
    StringBuilder out = new StringBuilder("../".repeat(fromDepth - common));
    for (int i = common; i < toParts.length; i++) {
      out.append(encode(toParts[i]));
      if (i < toParts.length - 1) out.append('/');
    }
    return out.isEmpty() ? "./" : out.toString();
  }

  /** Percent-encodes what must not appear raw in a URL path segment (spaces, {@code #}, {@code ?}, non-ASCII). */
  private static String encode(String segment) {
    StringBuilder out = new StringBuilder(segment.length());
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
      }
    }
    return out.toString();
  }

  static int line(Node node) {
    List<SourceSpan> spans = node.getSourceSpans();
    if (!spans.isEmpty()) return spans.get(0).getLineIndex() + 1;
    Node parent = node.getParent();
    return parent == null ? 0 : line(parent);
  }

  /** Takes the link out and keeps what it showed: its text, or an image's alt text. */
  private static void unlink(Node node) {
    Node child = node.getFirstChild();
    if (node instanceof Image && child == null) {
      node.insertBefore(new Text(((Image) node).getTitle() == null ? "" : ((Image) node).getTitle()));
    }
    while (child != null) {
      Node next = child.getNext();
      node.insertBefore(child);
      child = next;
    }
    node.unlink();
  }
}
