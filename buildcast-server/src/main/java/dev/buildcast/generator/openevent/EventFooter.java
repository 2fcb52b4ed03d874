package dev.buildcast.generator.openevent;

import java.util.Optional;

/**
 * Reads the export's copyright and licence records into the footer's two lines. The newer schema
 * nests them as {@code event-copyright} and {@code licence-details}, the older one as
 * {@code copyright} and {@code licence_details}; both carry a holder, a year, a licence name and
 * its address.
 */
final class EventFooter {

  private EventFooter() {}

  /** "© 2017 FOSSASIA", "© 2018", or {@code null} when there is neither year nor holder. */
  static String copyright(RecordFields event) {
    Optional<RecordFields> copyright = event.object("event-copyright");
    if (copyright.isEmpty()) return null;
    Optional<String> year = copyright.get().text("year");
    Optional<String> holder = copyright.get().text("holder");
    if (year.isEmpty() && holder.isEmpty()) return null;
    return "©" + year.map(y -> " " + y).orElse("") + holder.map(h -> " " + h).orElse("");
  }

  /** The licence's name and, when it is an http(s) address, its link; {@code null} when unnamed. */
  static WebLink licence(RecordFields event) {
    Optional<RecordFields> details = event.object("licence-details");
    Optional<RecordFields> copyright = event.object("event-copyright");
    Optional<String> name = details.flatMap(d -> d.text("long-name"))
        .or(() -> details.flatMap(d -> d.text("name")))
        .or(() -> copyright.flatMap(c -> c.text("licence")));
    if (name.isEmpty()) return null;
    Optional<String> url = details.flatMap(d -> d.text("url"))
        .or(() -> copyright.flatMap(c -> c.text("licence-url")))
        .flatMap(WebAddress::of);
    return new WebLink(name.get(), url.orElse(null));
  }
}
