package dev.buildcast.generator.openevent;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The parts of speaker records that need more than a field copy: their profile links (only
 * http(s) addresses; a bare Twitter or GitHub account name becomes its address) and the check that
 * a session naming a speaker by id also names the same person.
 */
final class SpeakerRecords {

  /** Profile field, label, and the site a bare account name belongs to ({@code null}: none). */
  private record Profile(String field, String label, String site) {}

  private static final List<Profile> PROFILES = List.of(
      new Profile("website", "Website", null),
      new Profile("twitter", "Twitter", "https://twitter.com/"),
      new Profile("github", "GitHub", "https://github.com/"),
      new Profile("linkedin", "LinkedIn", null),
      new Profile("facebook", "Facebook", null));

  private final DataProblems problems;

  SpeakerRecords(DataProblems problems) {
    this.problems = problems;
  }

  /** The speaker's pages elsewhere, in {@link #PROFILES} order; unusable values are reported. */
  List<WebLink> profiles(RecordFields speaker, String owner) {
    List<WebLink> links = new ArrayList<>();
    for (Profile profile : PROFILES) {
      Optional<String> value = speaker.text(profile.field());
      if (value.isEmpty()) continue;
      Optional<String> url = WebAddress.profile(value.get(), profile.site());
      if (url.isPresent()) {
        links.add(new WebLink(profile.label(), url.get()));
      } else if (!profile.field().equals("website")) { // why: the website field is reported where it is read
        problems.report(owner + ": " + profile.field() + " \"" + value.get() + "\" is not an http(s) address; left out");
      }
    }
    return links;
  }

  /**
   * A session credits a speaker by id and repeats the speaker's name; when the name belongs to
   * someone else, the export mixed two people up and the page would credit the wrong one.
   */
  void checkCreditedName(RecordFields ref, Speaker speaker, String owner) {
    Optional<String> named = ref.text("name");
    if (named.isEmpty() || normalised(named.get()).equals(normalised(speaker.name()))) return;
    problems.report(owner + ": credits speaker " + speaker.id() + " (" + speaker.name() + ") but names \""
        + named.get() + "\"; shown as " + speaker.name() + ", check which one gives the session");
  }

  private static String normalised(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFC).strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
