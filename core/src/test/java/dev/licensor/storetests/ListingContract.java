package dev.licensor.storetests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.catalog.Client;
import dev.licensor.catalog.License;
import dev.licensor.catalog.LicenseQuery;
import dev.licensor.catalog.LicenseState;
import dev.licensor.catalog.LicenseType;
import dev.licensor.catalog.Page;
import dev.licensor.catalog.PoolSummary;
import dev.licensor.catalog.Product;
import dev.licensor.catalog.ProductPage;
import dev.licensor.outcome.Code;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * Keyset listings: licenses (all, by product, by customer, by state), clients, pools with their
 * usage. Every page is in ascending id order, a walk reads each row exactly once, and the cursor
 * stays right while rows are added and deleted between pages.
 */
public abstract class ListingContract extends ContractBase {

    /** Every page of a listing, walked with the cursor; asserts each page's size and order. */
    static <T> List<T> walk(LongFunction<Page<T>> pageAfter, int limit, java.util.function.ToLongFunction<T> id) {
        List<T> all = new ArrayList<>();
        long after = 0;
        for (int pages = 0; pages < 10_000; pages++) {
            Page<T> page = pageAfter.apply(after);
            assertThat(page.items().size()).isLessThanOrEqualTo(limit);
            for (T item : page.items()) {
                assertThat(id.applyAsLong(item)).as("ids increase across pages").isGreaterThan(after);
                after = id.applyAsLong(item);
                all.add(item);
            }
            if (!page.hasMore()) {
                return all;
            }
            assertThat(page.next()).as("the cursor moves on").isGreaterThanOrEqualTo(after);
            after = page.next();
        }
        throw new AssertionError("the listing never ended");
    }

    List<License> walk(LicenseQuery q) {
        return walk(after -> ok(licensor.catalog().licenses(q.after(after))), q.limit(), License::id);
    }

    static List<Long> ids(List<License> licenses) {
        return licenses.stream().map(License::id).toList();
    }

    @Test
    void pagesEveryLicenseExactlyOnceInIdOrderByProductAndByCustomer() {
        product("cad");
        product("cam");
        List<Long> cad = new ArrayList<>();
        List<Long> cam = new ArrayList<>();
        List<Long> alice = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String p = i % 3 == 0 ? "cam" : "cad";
            License l = i % 4 == 0 ? license(License.builder(p).username("alice" + (i == 0 || i == 8 ? "" : "-" + i)))
                    : license(License.builder(p).key("K-" + i));
            (p.equals("cad") ? cad : cam).add(l.id());
            if ("alice".equals(l.username())) {
                alice.add(l.id());
            }
        }
        List<Long> every = new ArrayList<>(cad);
        every.addAll(cam);
        every.sort(null);
        for (int limit : new int[] {1, 7, 23, 24, 1000}) {
            assertThat(ids(walk(LicenseQuery.all().limit(limit)))).as("limit %d", limit).isEqualTo(every);
            assertThat(ids(walk(LicenseQuery.ofProduct("cad").limit(limit)))).isEqualTo(cad);
            assertThat(ids(walk(LicenseQuery.ofProduct("cam").limit(limit)))).isEqualTo(cam);
            assertThat(ids(walk(LicenseQuery.ofUser("alice").limit(limit)))).isEqualTo(alice);
        }
        assertThat(alice).hasSizeGreaterThan(1);
        // both: the customer's license in one product
        assertThat(ids(walk(new LicenseQuery("cam", "alice", null, 0, 5))))
                .isEqualTo(alice.stream().filter(cam::contains).toList());
        // the first page of exactly the limit says there is more; the last says there is not
        Page<License> first = ok(licensor.catalog().licenses(LicenseQuery.all().limit(7)));
        assertThat(ids(first.items())).isEqualTo(every.subList(0, 7));
        assertThat(first.next()).isEqualTo(every.get(6));
        Page<License> whole = ok(licensor.catalog().licenses(LicenseQuery.all().limit(23)));
        assertThat(whole.items()).hasSize(23);
        assertThat(whole.hasMore()).isFalse();
        assertThat(ok(licensor.catalog().licenses(LicenseQuery.ofProduct("none"))).items()).isEmpty();
        assertThat(ok(licensor.catalog().licenses(LicenseQuery.ofUser("nobody"))).items()).isEmpty();
    }

    @Test
    void filtersByStateAtTheEnginesClock() {
        product("cad");
        License on = license(License.builder("cad").key("ON"));
        License off = license(License.builder("cad").key("OFF"));
        ok(licensor.seats().setEnabled(off.id(), false));
        License suspended = license(License.builder("cad").key("SUSPENDED"));
        ok(licensor.catalog().suspend(suspended.id()));
        License ending = license(License.builder("cad").key("ENDING").type(LicenseType.TIME_LIMITED)
                .validUntil(START.plus(Duration.ofDays(1))));
        License later = license(License.builder("cad").key("LATER").validFrom(START.plus(Duration.ofDays(2))));

        assertThat(ids(walk(LicenseQuery.all().inState(LicenseState.ACTIVE).limit(2))))
                .containsExactly(on.id(), ending.id());
        assertThat(ids(walk(LicenseQuery.all().inState(LicenseState.ENABLED).limit(2))))
                .containsExactly(on.id(), suspended.id(), ending.id(), later.id());
        assertThat(ids(walk(LicenseQuery.all().inState(LicenseState.DISABLED)))).containsExactly(off.id());
        assertThat(ids(walk(LicenseQuery.ofProduct("cad").inState(LicenseState.SUSPENDED)))).containsExactly(suspended.id());
        assertThat(ids(walk(LicenseQuery.all().inState(LicenseState.EXPIRED)))).isEmpty();

        clock.set(START.plus(Duration.ofDays(3))); // ending has ended, later has started
        assertThat(ids(walk(LicenseQuery.all().inState(LicenseState.EXPIRED)))).containsExactly(ending.id());
        assertThat(ids(walk(LicenseQuery.all().inState(LicenseState.ACTIVE)))).containsExactly(on.id(), later.id());
    }

    @Test
    void aRareStateGivesBoundedPagesThatNeverSkipNorRepeat() {
        product("cad");
        List<Long> suspended = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            License l = license(License.builder("cad").key("K-" + i));
            if (i == 3 || i == 598) {
                ok(licensor.catalog().suspend(l.id()));
                suspended.add(l.id());
            }
        }
        List<Page<License>> pages = new ArrayList<>();
        List<License> all = walk(after -> {
            Page<License> p = ok(licensor.catalog().licenses(LicenseQuery.all().inState(LicenseState.SUSPENDED).limit(1).after(after)));
            pages.add(p);
            return p;
        }, 1, License::id);
        assertThat(ids(all)).isEqualTo(suspended);
        // one row per page examines at most 4 + 256 rows: the walk needs several pages, some empty
        assertThat(pages.size()).isGreaterThan(2);
        assertThat(pages).anySatisfy(p -> assertThat(p.items()).isEmpty());
    }

    @Test
    void aWalkStaysRightWhileLicensesAreCreatedAndDeletedBetweenPages() {
        product("cad");
        List<License> made = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            made.add(license(License.builder("cad").key("K-" + i)));
        }
        Page<License> first = ok(licensor.catalog().licenses(LicenseQuery.ofProduct("cad").limit(4)));
        assertThat(first.items()).extracting(License::id).containsExactly(made.get(0).id(), made.get(1).id(),
                made.get(2).id(), made.get(3).id());
        // between pages: one already listed and one not yet listed are deleted, one is added
        ok(licensor.catalog().deleteLicense(made.get(1).id()));
        forget(made.get(1));
        ok(licensor.catalog().deleteLicense(made.get(6).id()));
        forget(made.get(6));
        License added = license(License.builder("cad").key("K-new"));
        List<License> rest = walk(after -> ok(licensor.catalog().licenses(LicenseQuery.ofProduct("cad").limit(4)
                .after(after == 0 ? first.next() : after))), 4, License::id);
        List<Long> expected = new ArrayList<>();
        for (int i = 4; i < 10; i++) {
            if (i != 6) {
                expected.add(made.get(i).id());
            }
        }
        expected.add(added.id());
        assertThat(ids(rest)).isEqualTo(expected);
    }

    @Test
    void pagesClientsAndPoolsWithTheirUsage() {
        List<Long> clients = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            clients.add(client("client-" + i).id());
        }
        assertThat(walk(after -> ok(licensor.catalog().clients(after, 4)), 4, Client::id))
                .extracting(Client::id).isEqualTo(clients);
        assertThat(ok(licensor.catalog().clients(clients.get(8), 4)).items()).isEmpty();

        product("cad");
        product("cam");
        License a = floating("cad", "POOL-A", 3);
        license(License.builder("cad").key("NODE-LOCKED"));
        License b = floating("cam", "POOL-B", 2);
        for (String hw : List.of("hw-1", "hw-2")) {
            activate(a, hw);
            check(a, hw);
        }
        activate(b, "hw-3");
        check(b, "hw-3");
        List<PoolSummary> pools = walk(after -> ok(licensor.catalog().pools(null, after, 1)), 1, p -> p.license().id());
        assertThat(pools).extracting(p -> p.license().id() + ":" + p.held() + "/" + p.seats() + " free " + p.free())
                .containsExactly(a.id() + ":2/3 free 1", b.id() + ":1/2 free 1");
        assertThat(ok(licensor.catalog().pools("cam", 0, 10)).items()).extracting(p -> p.license().id())
                .containsExactly(b.id());
        clock.advance(TIMEOUT); // lapsed leases no longer count
        assertThat(ok(licensor.catalog().pools("cad", 0, 10)).items()).singleElement()
                .satisfies(p -> assertThat(p.held()).isZero());
    }

    /**
     * Products page by code in code point order (byte order: '-' &lt; '.' &lt; digits &lt; upper case &lt;
     * '_' &lt; lower case), which a locale collation would not give; the cursor is the last code.
     */
    @Test
    void pagesProductsByCodeInCodePointOrderExactlyOnce() {
        List<String> codes = new ArrayList<>(List.of("b", "B", "a-1", "a.1", "a_1", "A", "z9", "Z", "0x", "a"));
        for (String code : codes) {
            product(code);
        }
        codes.sort(dev.licensor.store.CodePointOrder.INSTANCE);
        assertThat(codes).startsWith("0x", "A", "B", "Z", "a", "a-1");
        List<String> walked = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 100; pages++) {
            ProductPage page = ok(licensor.catalog().products(after, 3));
            assertThat(page.items().size()).isLessThanOrEqualTo(3);
            page.items().forEach(p -> walked.add(p.code()));
            if (!page.hasMore()) {
                break;
            }
            assertThat(page.next()).isEqualTo(page.items().get(page.items().size() - 1).code());
            after = page.next();
            if (pages == 1) {
                product("AA"); // defined behind the cursor: not seen by this walk
                product("zz"); // ahead of it: seen
            }
        }
        List<String> expected = new ArrayList<>(codes);
        expected.add("zz");
        assertThat(walked).isEqualTo(expected);
        assertThat(ok(licensor.catalog().products("", 100)).items()).extracting(Product::code)
                .hasSize(12).contains("AA");
        ProductPage full = ok(licensor.catalog().products(null, 12));
        assertThat(full.hasMore()).as("exactly a full last page").isFalse();
        assertThat(ok(licensor.catalog().products("zz", 5)).items()).isEmpty();
        assertThat(ok(licensor.catalog().products("a", 1)).items()).extracting(Product::code).containsExactly("a-1");
        assertThat(ok(licensor.catalog().products("a", 1)).items().get(0)).isEqualTo(licensor.catalog().product("a-1").orElseThrow());
        rejected("products limit", Code.INVALID_REQUEST, () -> licensor.catalog().products(null, 0));
        rejected("products limit above the bound", Code.INVALID_REQUEST,
                () -> licensor.catalog().products(null, LicenseQuery.MAX_LIMIT + 1));
        rejected("products cursor not a code", Code.INVALID_REQUEST, () -> licensor.catalog().products("a b", 5));
    }

    @Test
    void badPageRequestsAreRefusedAndChangeNothing() {
        product("cad");
        license(License.builder("cad").key("K"));
        rejected("limit 0", Code.INVALID_REQUEST, () -> licensor.catalog().licenses(LicenseQuery.all().limit(0)));
        rejected("limit above the bound", Code.INVALID_REQUEST,
                () -> licensor.catalog().licenses(LicenseQuery.all().limit(LicenseQuery.MAX_LIMIT + 1)));
        rejected("negative cursor", Code.INVALID_REQUEST, () -> licensor.catalog().licenses(LicenseQuery.all().after(-1)));
        rejected("no query", Code.INVALID_REQUEST, () -> licensor.catalog().licenses(null));
        rejected("blank product", Code.MISSING_PARAMETERS, () -> licensor.catalog().licenses(LicenseQuery.ofProduct(" ")));
        rejected("control character", Code.INVALID_REQUEST, () -> licensor.catalog().licenses(LicenseQuery.ofUser("a\u0000")));
        rejected("clients limit", Code.INVALID_REQUEST, () -> licensor.catalog().clients(0, 0));
        rejected("pools cursor", Code.INVALID_REQUEST, () -> licensor.catalog().pools(null, -5, 10));
        assertThat(ok(licensor.catalog().licenses(LicenseQuery.all().limit(LicenseQuery.MAX_LIMIT))).items()).hasSize(1);
    }
}
