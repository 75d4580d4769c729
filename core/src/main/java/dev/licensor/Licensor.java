package dev.licensor;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.licensor.catalog.Catalog;
import dev.licensor.clients.ClientLicenses;
import dev.licensor.event.LicensorEvent;
import dev.licensor.event.LicensorListener;
import dev.licensor.floating.FloatingLicenses;
import dev.licensor.floating.SeatAdministration;
import dev.licensor.ledger.Actor;
import dev.licensor.ledger.Ledger;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.lookup.Lookups;
import dev.licensor.store.ChangeFeed;
import dev.licensor.store.ChangeListener;
import dev.licensor.store.LicenseStore;
import dev.licensor.token.OfflineActivation;
import dev.licensor.token.TokenSigner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The licensing engine: one instance per store, shared by every thread of the host.
 *
 * <pre>{@code
 * Licensor licensor = Licensor.builder()
 *         .store(new MemoryLicenseStore())
 *         .clock(Clock.systemUTC())
 *         .build();
 * Outcome<LicenseCheck> seat = licensor.floating().check(DeviceRequest.byKey("cad", "KEY-1", "hw-1"));
 * }</pre>
 *
 * <p>Licensor starts no thread, holds no global state and logs through SLF4J only. It does not
 * own the store: close the store when done.
 *
 * <p>Thread-safe.
 */
public final class Licensor {
    private final CatalogService catalog;
    private final FloatingLicenses floating;
    private final ClientLicenses clients;
    private final SeatAdminService seats;
    private final Ledger ledger;
    private final Lookups lookups;
    private final OfflineActivation offline;

    private Licensor(LicenseStore store, Clock clock, CacheSettings cacheSettings, TokenSigner signer,
            List<LicensorListener> listeners) {
        Engine engine = new Engine(store, clock, listeners);
        LookupCache lookupCache = cacheSettings.enabled() ? new LookupCache(cacheSettings, clock) : null;
        SeatCacheHook cache = lookupCache != null ? lookupCache : SeatCacheHook.NONE;
        if (lookupCache != null && store instanceof ChangeFeed feed) {
            // other hosts' commits drop entries early; the time-to-live stays the bound
            feed.subscribe(new ChangeListener() {
                @Override
                public void seatChanged(long licenseId, String hardwareId) {
                    lookupCache.seatChanged(licenseId, hardwareId);
                }

                @Override
                public void licenseChanged(long licenseId) {
                    lookupCache.licenseChanged(licenseId);
                }

                @Override
                public void clientChanged(long clientId) {
                    lookupCache.clientChanged(clientId);
                }

                @Override
                public void everythingChanged() {
                    lookupCache.invalidateAll();
                }
            });
        }
        SeatSignal signal = new SeatSignal();
        this.catalog = new CatalogService(engine, cache, signal);
        FloatingService floatingService = new FloatingService(engine, cache,
                signer != null ? new TokenIssuer(signer) : TokenIssuer.NONE, signal);
        this.floating = floatingService;
        this.offline = signer != null ? new OfflineService(floatingService) : null;
        this.clients = new ClientService(engine, cache);
        this.seats = new SeatAdminService(engine, cache, signal);
        this.ledger = new LedgerService(engine);
        this.lookups = new LookupService(engine, lookupCache);
    }

    /** A view of {@code base} whose catalog and seat administration record {@code actor}. */
    private Licensor(Licensor base, Actor actor) {
        this.catalog = base.catalog.as(actor);
        this.seats = base.seats.as(actor);
        this.floating = base.floating;
        this.clients = base.clients;
        this.ledger = base.ledger;
        this.lookups = base.lookups;
        this.offline = base.offline;
    }

    /**
     * This engine, acting for {@code actor}: every administrative change made through the view's
     * {@link #catalog()} and {@link #seats()} names the actor in its ledger entry
     * ({@link dev.licensor.ledger.LedgerEntry#actor()}) and its
     * {@link LicensorEvent.AdminChanged} event. The view shares everything else with this engine
     * and is cheap: make one per request. Changes made without a view carry no actor.
     *
     * <pre>{@code
     * licensor.as(Actor.of("admin:alice")).catalog().suspend(licenseId);
     * }</pre>
     *
     * @param actor who makes the changes
     * @return a view of this engine that records {@code actor}
     * @throws NullPointerException if {@code actor} is null
     */
    public Licensor as(Actor actor) {
        return new Licensor(this, Objects.requireNonNull(actor, "actor"));
    }

    /**
     * Offline activation: a device's request string in, a signed license file out.
     *
     * @return the offline activation view
     * @throws IllegalStateException if the engine was built without a {@link Builder#signer}
     */
    public OfflineActivation offline() {
        if (offline == null) {
            throw new IllegalStateException("offline activation needs a signer (Licensor.builder().signer)");
        }
        return offline;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder, with nothing set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Products, licenses, clients, agents and client licenses.
     *
     * @return the catalog view (acting for this view's actor, if any: {@link #as})
     */
    public Catalog catalog() {
        return catalog;
    }

    /**
     * The device calls: activate, check, borrow, release, deactivate, add consumption.
     *
     * @return the floating licenses view
     */
    public FloatingLicenses floating() {
        return floating;
    }

    /**
     * Client and agent licenses: consume, list, release, reconfigure, usage summary.
     *
     * @return the client licenses view
     */
    public ClientLicenses clients() {
        return clients;
    }

    /**
     * Who holds which seat, force-release, purge, blacklist, license switches.
     *
     * @return the seat administration view (acting for this view's actor, if any: {@link #as})
     */
    public SeatAdministration seats() {
        return seats;
    }

    /**
     * The record of every grant, release, lapse, denial and client consume/release.
     *
     * @return the ledger view
     */
    public Ledger ledger() {
        return ledger;
    }

    /**
     * Read-only lookups (live seat, license by key or user, a client's consumed licenses), served
     * from the cache when one is configured ({@link Builder#cache}); never used to grant a seat.
     *
     * @return the lookups view
     */
    public Lookups lookups() {
        return lookups;
    }

    /**
     * Configures a {@link Licensor}. Each option may be set once; {@link #store} is required.
     * Misuse is a programmer error and throws as Java libraries do: {@link NullPointerException}
     * for a null option, {@link IllegalStateException} for an option set twice or a build without
     * a store. Not thread-safe.
     */
    public static final class Builder {
        private LicenseStore store;
        private Clock clock;
        private CacheSettings cache;
        private TokenSigner signer;
        private final List<LicensorListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * The store holding every row; required.
         *
         * @param value the store
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         * @throws IllegalStateException if the store was already set
         */
        @CanIgnoreReturnValue
        public Builder store(LicenseStore value) {
            if (store != null) {
                throw new IllegalStateException("store was already set");
            }
            store = require(value, "store");
            return this;
        }

        /**
         * The only source of time; defaults to {@link Clock#systemUTC()}.
         *
         * @param value the clock
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         * @throws IllegalStateException if the clock was already set
         */
        @CanIgnoreReturnValue
        public Builder clock(Clock value) {
            if (clock != null) {
                throw new IllegalStateException("clock was already set");
            }
            clock = require(value, "clock");
            return this;
        }

        /**
         * The lookup cache; defaults to {@link CacheSettings#DISABLED}. With several processes on
         * one store, give a time-to-live ({@link CacheSettings#of}): it bounds how long another
         * process's change may go unseen by {@link #lookups()}.
         *
         * @param value the cache settings
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         * @throws IllegalStateException if the cache was already set
         */
        @CanIgnoreReturnValue
        public Builder cache(CacheSettings value) {
            if (cache != null) {
                throw new IllegalStateException("cache was already set");
            }
            cache = require(value, "cache");
            return this;
        }

        /**
         * The Ed25519 key that signs the outcomes of check, borrow and activate
         * ({@link dev.licensor.outcome.Outcome#token()}) and enables {@link #offline()};
         * default none: no token is issued.
         *
         * @param value the signer
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         * @throws IllegalStateException if the signer was already set
         */
        @CanIgnoreReturnValue
        public Builder signer(TokenSigner value) {
            if (signer != null) {
                throw new IllegalStateException("signer was already set");
            }
            signer = require(value, "signer");
            return this;
        }

        /**
         * Adds a listener of change events ({@link LicensorEvent}): called after each commit, in
         * commit order, never for a unit that rolled back; a listener that throws is logged and
         * affects neither the call nor the other listeners. May be called more than once; listeners
         * are called in the order added. See {@link LicensorListener} for the delivery rules.
         *
         * @param value the listener
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        @CanIgnoreReturnValue
        public Builder listener(LicensorListener value) {
            listeners.add(require(value, "listener"));
            return this;
        }

        /**
         * The engine.
         *
         * @return a new engine on the store, with the options set and the defaults for the rest
         * @throws IllegalStateException if no store was set
         */
        public Licensor build() {
            if (store == null) {
                throw new IllegalStateException("a store is required");
            }
            // Defaults go to the engine only: the builder keeps saying what the caller set.
            return new Licensor(store, clock != null ? clock : Clock.systemUTC(),
                    cache != null ? cache : CacheSettings.DISABLED, signer, List.copyOf(listeners));
        }

        private static <T> T require(T value, String name) {
            return Objects.requireNonNull(value, name);
        }
    }
}
