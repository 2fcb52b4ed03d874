package dev.buildcast.generator.docs;

import java.util.List;
import java.util.Optional;

/**
 * One entry of the site's navigation: a page, a section heading, or both (a folder with an index).
 *
 * @param title what the entry shows
 * @param page the page it opens, if any
 * @param children the entries under it
 */
record NavItem(String title, Optional<Page> page, List<NavItem> children) {

  NavItem {
    children = List.copyOf(children);
  }

  static NavItem of(Page page) {
    return new NavItem(page.title, Optional.of(page), List.of());
  }
}
