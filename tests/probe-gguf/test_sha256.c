/* probe.gguf.sha256: SHA-256 against the FIPS 180-2 appendix B examples, and
 * streaming in odd-sized pieces against one-shot hashing. */
#include <stdlib.h>

#include "check.h"
#include "wir_sha256.h"

static void check_hex(const void *data, size_t n, const char *want) {
    uint8_t d[32];
    char hex[65];
    wir_sha256_buffer(data, n, d);
    wir_sha256_to_hex(d, hex);
    CHECK_STR(hex, want);
}

int main(void) {
    check_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check_hex(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000000);
    memset(million, 'a', 1000000);
    check_hex(million, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

    /* Streaming: every piece size from 1 to 130 crosses the 64-byte block
     * boundary at every phase; lengths 55/56/64 exercise the padding cases. */
    for (size_t len = 0; len < 200; len += 1) {
        uint8_t one[32], many[32];
        for (size_t i = 0; i < len; i++)
            million[i] = (char)(i * 7 + len);
        wir_sha256_buffer(million, len, one);
        for (size_t piece = 1; piece <= 130; piece += 43) {
            wir_sha256 ctx;
            wir_sha256_init(&ctx);
            for (size_t at = 0; at < len; at += piece)
                wir_sha256_update(&ctx, million + at, len - at < piece ? len - at : piece);
            wir_sha256_final(&ctx, many);
            CHECK(memcmp(one, many, 32) == 0);
        }
    }
    free(million);
    CHECK_DONE();
}
