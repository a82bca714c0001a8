package io.hookrelay.bench;

import io.hookrelay.bench.FaultAnalysis.Undelivered;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What became of an accepted (message, endpoint) that never arrived, decided from what the
 * platform lists and answers: {@link ChaosCampaign} asks, this class judges. Owed is what the
 * platform still holds for a later attempt; "not retried" is a failure the contract allows (the
 * receiver's last answer was one the platform does not retry); everything else is lost.
 */
final class UndeliveredVerdicts {

    /** Svix's delivery statuses, as the lists take them and the destinations list reports them. */
    static final int STATUS_SUCCESS = 0, STATUS_PENDING = 1, STATUS_FAILED = 2, STATUS_SENDING = 3;

    /**
     * One endpoint's lists: the messages pending or sending to it, those failed there, and the
     * status code of each failed message's last attempt (absent: no failed attempt listed).
     */
    record EndpointLists(Set<String> owed, Set<String> failed, Map<String, Integer> lastFailedAnswers) {}

    /** The verdicts the lists decide, and per message the endpoints they leave open (in send order). */
    record FromLists(Map<String, Undelivered> verdicts, Map<String, List<Integer>> unlistedByMessage) {}

    private UndeliveredVerdicts() {}

    /**
     * Every accepted message against every endpoint's lists: arrived needs no verdict; listed as
     * pending or sending is owed; failed with a last failed attempt is "not retried" or lost by that
     * attempt's answer. A failed message without a failed attempt, or one no list holds, is left to
     * a look-up.
     */
    static FromLists fromLists(List<String> acceptedIds, Set<String> arrivedPairs, List<EndpointLists> endpoints) {
        Map<String, Undelivered> verdicts = new HashMap<>();
        Map<String, List<Integer>> unlistedByMessage = new LinkedHashMap<>();
        for (String id : acceptedIds) {
            List<Integer> unlisted = new ArrayList<>();
            for (int endpoint = 0; endpoint < endpoints.size(); endpoint++) {
                String pair = FaultAnalysis.pair(id, endpoint);
                EndpointLists lists = endpoints.get(endpoint);
                Integer lastAnswer = lists.lastFailedAnswers().get(id);
                if (arrivedPairs.contains(pair)) {
                    continue;
                } else if (lists.owed().contains(id)) {
                    verdicts.put(pair, Undelivered.OWED);
                } else if (lists.failed().contains(id) && lastAnswer != null) {
                    verdicts.put(pair, notRetried(lastAnswer) ? Undelivered.NOT_RETRIED : Undelivered.LOST);
                } else {
                    unlisted.add(endpoint);
                }
            }
            if (!unlisted.isEmpty()) {
                unlistedByMessage.put(id, unlisted);
            }
        }
        return new FromLists(verdicts, unlistedByMessage);
    }

    /**
     * A message the lists leave open, judged from the message list and the endpoint's list of
     * delivered messages (when thousands are open): known and neither delivered nor failed there is
     * still in the outbox or on Kafka, so owed; delivered by the platform's account but never seen
     * by the receiver, failed without a failed attempt, or unknown is lost.
     */
    static Undelivered fromBulkLists(boolean known, boolean deliveredByThePlatform, boolean failed) {
        return known && !deliveredByThePlatform && !failed ? Undelivered.OWED : Undelivered.LOST;
    }

    /**
     * A message the lists leave open, looked up: known with no status toward the endpoint yet (still
     * in the outbox or on Kafka), pending or sending is owed; failed on a last answer not retried by
     * contract is "not retried" (asked only then); anything else — unknown, delivered by the
     * platform's account only, failed after retries ran out — is lost.
     *
     * @param status the message's status toward the endpoint in its destinations list, null if absent
     */
    static Undelivered fromLookUp(boolean known, Integer status, BooleanSupplier lastAnswerNotRetried) {
        if (!known) {
            return Undelivered.LOST;
        }
        if (status == null || status == STATUS_PENDING || status == STATUS_SENDING) {
            return Undelivered.OWED;
        }
        return status == STATUS_FAILED && lastAnswerNotRetried.getAsBoolean() ? Undelivered.NOT_RETRIED : Undelivered.LOST;
    }

    /**
     * Whether the platform gives up on this answer by contract (docs: a redirect, or a 4xx other than
     * 408, 425 and 429, 410 included): the receiver refused it, the platform did not lose it. A
     * retryable last answer (5xx, 429, none at all) means the retries ran out, which a fault of 30 s
     * against a schedule of minutes must not do.
     */
    static boolean notRetried(int status) {
        return (status >= 300 && status < 400) || (status >= 400 && status < 500 && status != 408 && status != 425 && status != 429);
    }
}
