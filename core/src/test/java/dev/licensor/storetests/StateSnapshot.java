package dev.licensor.storetests;

import dev.licensor.Licensor;
import dev.licensor.clients.ClientRef;
import dev.licensor.clients.ConsumedLicense;
import dev.licensor.ledger.LedgerEntry;
import dev.licensor.store.Count;
import dev.licensor.store.Key;
import dev.licensor.store.LicenseStore;
import dev.licensor.store.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything observable about the rows a test created, taken in one go so a test can say "this
 * refused call changed nothing". It reads the engine's public views (holders, consumed lists,
 * usage summary, ledger) and, for what no public view shows (activations, leases that lapsed,
 * the blacklist, released consumptions), the store directly in one read unit.
 *
 * <p>{@code state} maps a readable name ("lease 3/hw-1") to what was read, so a failed comparison
 * names what changed. Not thread-safe; values are immutable.
 *
 * @param state  every row and view but the ledger
 * @param ledger the whole ledger, in (time, sequence) order
 */
record StateSnapshot(Map<String, Object> state, List<LedgerEntry> ledger) {

    /** Far enough in the future for any test, and still representable as epoch milliseconds. */
    static final Instant FAR = Instant.parse("9999-01-01T00:00:00Z");

    static StateSnapshot take(LicenseStore store, Licensor licensor, Collection<String> products,
                              Collection<Long> licenseIds, Collection<String> hardwareIds,
                              Collection<Long> clientIds) {
        Map<String, Object> state = new TreeMap<>();
        store.read(tx -> {
            for (String product : products) {
                state.put("product " + product, tx.find(Key.product(product)));
                for (String hw : hardwareIds) {
                    state.put("blacklisted " + product + "/" + hw, tx.find(Key.blacklisted(product, hw)).isPresent());
                }
            }
            for (long id : licenseIds) {
                state.put("license " + id, tx.find(Key.license(id)));
                state.put("activations " + id, tx.count(Count.activations(id)));
                for (String hw : hardwareIds) {
                    state.put("activation " + id + "/" + hw, tx.find(Key.activation(id, hw)));
                    state.put("lease " + id + "/" + hw, tx.find(Key.lease(id, hw)));
                }
            }
            for (long id : clientIds) {
                state.put("client " + id, tx.find(Key.client(id)));
                state.put("agents " + id, tx.list(Query.agents(id)));
                List<ConsumedLicense> consumptions = new ArrayList<>(tx.list(Query.consumptionsOfClient(id)));
                consumptions.sort(Comparator.comparingLong(ConsumedLicense::clientLicenseId)
                        .thenComparing(ConsumedLicense::agentLevel));
                state.put("consumptions " + id, consumptions);
            }
            state.put("client licenses", tx.list(Query.clientLicenses()));
            return null;
        });
        for (long id : licenseIds) {
            state.put("holders " + id, licensor.seats().holders(id));
        }
        for (long id : clientIds) {
            state.put("consumed " + id, licensor.clients().consumed(ClientRef.id(id)));
        }
        state.put("usage", licensor.clients().usage());
        return new StateSnapshot(state, licensor.ledger().between(Instant.EPOCH, FAR, 100_000));
    }
}
