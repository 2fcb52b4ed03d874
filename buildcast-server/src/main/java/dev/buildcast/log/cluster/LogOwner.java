package dev.buildcast.log.cluster;

import java.util.regex.Pattern;

/**
 * Who may append to a job's stream: the node running it and the epoch of its claim. A takeover
 * (the reaper, a new claim) raises the epoch first, so every later append of the previous owner is
 * refused as {@link AppendResult.Outcome#FENCED}: this pair is the fencing token.
 *
 * @param nodeId the owner's node id (letters, digits, '-')
 * @param epoch how many times the job was claimed or taken over; 0 for the submitter
 */
public record LogOwner(String nodeId, long epoch) {

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  public LogOwner {
    if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
      throw new IllegalArgumentException("a node id is 1 to 64 letters, digits or '-', got " + nodeId);
    }
    if (epoch < 0) throw new IllegalArgumentException("an epoch is 0 or more, got " + epoch);
  }

  /** The token an engine stores and compares: {@code nodeId:epoch}. */
  public String token() {
    return nodeId + ":" + epoch;
  }

  /** The same node after a takeover: the next epoch. */
  public LogOwner next() {
    return new LogOwner(nodeId, epoch + 1);
  }
}
