package eduledger.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.paging.PageRequest;
import eduledger.testing.ApiCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageRequestTest {
    private static ApiRequest request(ApiCall call) {
        return new ApiRequest(call.event(), "r");
    }

    @Test
    void defaultsToHundredForward() {
        PageRequest page = PageRequest.from(request(ApiCall.to("GET /x"))::query);
        assertEquals(100, page.size());
        assertTrue(page.forward());
        assertNull(page.anchor());
    }

    @Test
    void limitAsEdlinksSdkSendsItCapsThePage() {
        assertEquals(
                20,
                PageRequest.from(request(ApiCall.to("GET /x").query("limit", "20"))::query)
                        .size());
        assertEquals(
                5,
                PageRequest.from(request(
                                ApiCall.to("GET /x").query("limit", "20").query("$first", "5"))::query)
                        .size());
        assertEquals(
                100,
                PageRequest.from(request(ApiCall.to("GET /x").query("limit", "500"))::query)
                        .size());
        ServiceException bad = assertThrows(
                ServiceException.class,
                () -> PageRequest.from(request(ApiCall.to("GET /x").query("limit", "0"))::query));
        assertTrue(bad.getMessage().contains("limit"), bad.getMessage());
    }

    @Test
    void lastAndBeforePageBackward() {
        PageRequest page = PageRequest.from(
                request(ApiCall.to("GET /x").query("$last", "5").query("$before", "abc"))::query);
        assertEquals(5, page.size());
        assertFalse(page.forward());
        assertEquals("abc", page.anchor());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "0", "abc", "1e9", "10001", "2.5", ""})
    void rejectsSizesOutsideOneToTenThousand(String size) {
        ServiceException e = assertThrows(
                ServiceException.class,
                () -> PageRequest.from(request(ApiCall.to("GET /x").query("$first", size))::query));
        assertEquals(Failure.BAD_REQUEST, e.failure());
    }

    @Test
    void rejectsMixedDirections() {
        assertThrows(
                ServiceException.class,
                () -> PageRequest.from(
                        request(ApiCall.to("GET /x").query("$after", "a").query("$before", "b"))::query));
        assertThrows(
                ServiceException.class,
                () -> PageRequest.from(
                        request(ApiCall.to("GET /x").query("$first", "1").query("$last", "1"))::query));
        assertThrows(
                ServiceException.class,
                () -> PageRequest.from(
                        request(ApiCall.to("GET /x").query("$first", "1").query("$before", "b"))::query));
    }

    @Test
    void nextUrlIsAbsoluteAndKeepsFilters() {
        ApiRequest request =
                request(ApiCall.to("GET /api/v2/things").query("action", "a b").query("$first", "2"));
        String next = Reply.nextUrl(request, PageRequest.from(request::query), "id-9");
        assertEquals("https://api.test/api/v2/things?action=a+b&$first=2&$after=id-9", next);
    }
}
