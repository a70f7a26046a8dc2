/*
 * test_fuzz_replay.c: every input saved in tests/fuzz/corpus/TARGET/ (the inputs that once
 * crashed a fuzz target, see docs/FUZZING.md) through that target's own code, in the normal
 * build under AddressSanitizer and UndefinedBehaviorSanitizer. One binary per target: this
 * file is linked with tests/fuzz/fuzz_TARGET.c, whose LLVMFuzzerTestOneInput is renamed
 * rz_fuzz_one (FUZZ_TARGET names the folder). A target aborts on any broken promise.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rz_fuzz_one(const uint8_t *data, size_t size);

Test(fuzz_replay, every_saved_input_runs_through_its_target)
{
    const char *root = getenv("ROZSHUK_SOURCE_ROOT");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", root ? root : ".", FUZZ_TARGET);
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "no saved inputs in %s", dir);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f, "cannot read %s", path);
        static uint8_t buf[1 << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        /* a copy of exactly len bytes, so a read past the input is caught */
        uint8_t *copy = malloc(len ? len : 1);
        cr_assert_not_null(copy);
        memcpy(copy, buf, len);
        cr_log_info("%s", e->d_name);
        rz_fuzz_one(copy, len);
        free(copy);
        n++;
    }
    closedir(d);
    cr_assert_gt(n, 0, "no saved inputs in %s", dir);
}
