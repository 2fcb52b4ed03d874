package dev.buildcast.notify;

import dev.buildcast.log.LogLine;
import org.jsoup.nodes.Entities;

/**
 * The words of a job-ended email, as plain text and as HTML (the same content; every value from
 * the job or its log is escaped in the HTML).
 *
 * <p>Without {@code withOutput} a mail carries only what the server itself decides — job id,
 * generator, state, duration, the number of artifacts and links to the job — and none of the text
 * an uploader or a job's process can steer (log lines, the reason, artifact names): a zip entry
 * name must not become a line of a phishing mail sent from the operator's address.
 */
final class JobEmail {

  private JobEmail() {}

  static String subject(JobEnded job) {
    return "[Buildcast] " + job.status().generator() + " " + job.status().state() + " (job " + job.status().jobId() + ")";
  }

  static String text(JobEnded job, boolean withOutput) {
    StringBuilder s = new StringBuilder();
    s.append("Job ").append(job.status().jobId()).append(" (").append(job.status().generator()).append(") ")
        .append(job.status().state()).append(" after ").append(job.humanDuration()).append(".\n");
    if (withOutput && job.status().reason() != null) s.append("Reason: ").append(job.status().reason()).append("\n");
    s.append("\nFollow it: ").append(job.links().page()).append("\n");
    s.append("Log: ").append(job.links().log()).append("\n");
    if (!job.links().artifacts().isEmpty() && withOutput) {
      s.append("\nArtifacts:\n");
      job.links().artifacts().forEach(a -> s.append("  ").append(a.name()).append(" (").append(a.size()).append(" bytes): ").append(a.url()).append("\n"));
    } else if (!job.links().artifacts().isEmpty()) {
      s.append("\n").append(artifactCount(job)).append(": download them from the job's page.\n");
    }
    if (withOutput && !job.lastLines().isEmpty()) {
      s.append("\nLast lines:\n");
      for (LogLine line : job.lastLines()) s.append("  [").append(line.level().wireName()).append("] ").append(line.text()).append("\n");
    }
    return s.toString();
  }

  static String html(JobEnded job, boolean withOutput) {
    StringBuilder s = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">");
    String colour = job.succeeded() ? "#1a7f37" : "#cf222e";
    s.append("<p>Job <code>").append(e(job.status().jobId())).append("</code> (").append(e(job.status().generator())).append(") <strong style=\"color:")
        .append(colour).append("\">").append(e(job.status().state())).append("</strong> after ").append(e(job.humanDuration())).append(".</p>");
    if (withOutput && job.status().reason() != null) s.append("<p>Reason: ").append(e(job.status().reason())).append("</p>");
    s.append("<p><a href=\"").append(e(job.links().page())).append("\">Open the job</a> · <a href=\"").append(e(job.links().log()))
        .append("\">Download the log</a></p>");
    if (!job.links().artifacts().isEmpty() && withOutput) {
      s.append("<p>Artifacts:</p><ul>");
      job.links().artifacts().forEach(a -> s.append("<li><a href=\"").append(e(a.url())).append("\">").append(e(a.name())).append("</a> (")
          .append(a.size()).append(" bytes)</li>"));
      s.append("</ul>");
    } else if (!job.links().artifacts().isEmpty()) {
      s.append("<p>").append(artifactCount(job)).append(": download them from <a href=\"").append(e(job.links().page())).append("\">the job's page</a>.</p>");
    }
    if (withOutput && !job.lastLines().isEmpty()) {
      s.append("<p>Last lines:</p><pre style=\"background:#f6f8fa;padding:8px\">");
      for (LogLine line : job.lastLines()) s.append("[").append(line.level().wireName()).append("] ").append(e(line.text())).append("\n");
      s.append("</pre>");
    }
    return s.append("</body></html>").toString();
  }

  private static String artifactCount(JobEnded job) {
    int n = job.links().artifacts().size();
    return n == 1 ? "1 artifact" : n + " artifacts";
  }

  private static String e(String text) {
    return Entities.escape(text);
  }
}
