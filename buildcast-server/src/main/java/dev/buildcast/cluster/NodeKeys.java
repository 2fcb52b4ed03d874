package dev.buildcast.cluster;

import java.util.regex.Pattern;

/**
 * The keys of one node's state in Redis, named from its id: {@code bc:node:<id>} (its liveness,
 * {@link RedisNodeLease}) and {@code bc:node:<id>:jobs} (the ids it claimed, {@link
 * RedisJobQueue}). The queue's scripts build the same names in Lua; {@link #LUA_FUNCTIONS} is the
 * one place they do.
 */
final class NodeKeys {

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  /**
   * Lua that releases one node's claims, for the scripts that start with it. {@code
   * release_claims(node, queue)}: each id in the node's claimed set whose job is still {@code
   * queued} in its hash {@code bc:{<id>}:job} (claimed, never started) goes back to the head of the
   * queue, unless it waits there already, in the order they were first queued (their score in
   * {@code bc:jobs}); the set goes. Returns how many ids went back. why the head: those jobs were
   * claimed before anything still waiting. The jobs that started are not touched: their records
   * hold a lease, and whoever sees it pass fails them. The job keys are {@link
   * RedisJobStore#jobKey} and {@link RedisJobStore#JOBS}.
   */
  static final String LUA_FUNCTIONS = """
      local function release_claims(node, queue)
        local set = 'bc:node:' .. node .. ':jobs'
        local back = {}
        for _, id in ipairs(redis.call('SMEMBERS', set)) do
          if redis.call('HGET', 'bc:{' .. id .. '}:job', 'state') == 'queued' and not redis.call('LPOS', queue, id) then
            table.insert(back, {id, tonumber(redis.call('ZSCORE', 'bc:jobs', id) or '0')})
          end
        end
        table.sort(back, function(x, y) if x[2] ~= y[2] then return x[2] < y[2] end return x[1] < y[1] end)
        for i = #back, 1, -1 do redis.call('LPUSH', queue, back[i][1]) end
        redis.call('DEL', set)
        return #back
      end
      """;

  private NodeKeys() {}

  /**
   * @throws IllegalArgumentException when the id is not 1 to 64 letters, digits or '-'
   */
  static String checked(String nodeId) {
    if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
      throw new IllegalArgumentException("a node id is 1 to 64 letters, digits or '-', got \"" + nodeId + "\"");
    }
    return nodeId;
  }

  /** The node's liveness key; it exists while the node renews it. */
  static String liveness(String nodeId) {
    return "bc:node:" + nodeId;
  }

  /** The set of ids the node claimed and has not released. */
  static String claimed(String nodeId) {
    return "bc:node:" + nodeId + ":jobs";
  }
}
