package dev.buildcast.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.job.InvalidRequestException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code notify: {email?, webhook?}} part of a {@code POST /api/jobs} body. */
public final class NotifyRequests {

  private static final Set<String> FIELDS = Set.of("email", "webhook");

  private NotifyRequests() {}

  public static NotifyTargets fromJson(JsonNode notify) {
    if (notify == null || notify.isNull()) return NotifyTargets.none();
    if (!notify.isObject()) throw InvalidRequestException.badRequest("'notify' must be an object {email?, webhook?}.");
    for (Iterator<String> names = notify.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw InvalidRequestException.badRequest("'notify' takes email and webhook; '" + (name.length() > 40 ? name.substring(0, 40) + "…" : name) + "' is not known.");
      }
    }
    return new NotifyTargets(text(notify, "email"), text(notify, "webhook").map(Notifications::webhookUrl));
  }

  private static Optional<String> text(JsonNode notify, String field) {
    JsonNode value = notify.get(field);
    if (value == null || value.isNull()) return Optional.empty();
    if (!value.isTextual() || value.asText().isBlank()) throw InvalidRequestException.badRequest("'notify." + field + "' must be a non-empty string.");
    return Optional.of(value.asText().strip());
  }
}
