package dev.buildcast.generator.openevent;

import dev.buildcast.log.LogSink;

/**
 * Collects problems in single records of the export (a dangling speaker reference, an
 * unparseable date, a missing image). Each one becomes a detail line right away; the count becomes
 * one basic warning line at the end of the step, so a messy export does not flood the basic log.
 */
final class DataProblems {

  private final LogSink log;
  private int count;

  DataProblems(LogSink log) {
    this.log = log;
  }

  void report(String problem) {
    count++;
    log.detail("data problem: " + problem);
  }

  /** Writes the step's warning line when there were problems. */
  void summarise(String stepName) {
    if (count > 0) {
      log.warning(count + (count == 1 ? " data problem" : " data problems") + " while " + stepName
          + " (records skipped or shown without the broken field; each one is in the detailed log)");
    }
  }
}
