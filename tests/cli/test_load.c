/*
 * test_load.c: `rozshuk load` and `rozshuk batch` as a user drives them: counts and JSON,
 * rejects as CSV, usage errors, undo; and a load killed with SIGKILL mid-file leaves no
 * partial batch behind.
 */
#include <criterion/criterion.h>

#include "rozshuk/store.h"
#include "support.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char conninfo[256];

static void setup(void)
{
    cr_assert_eq(rzt_db_create_migrated(conninfo, sizeof conninfo), 0);
}

static void teardown(void)
{
    rzt_db_drop(conninfo);
}

TestSuite(cli_load, .init = setup, .fini = teardown, .timeout = 300);

static const char *sample(const char *name, char *buf, size_t cap)
{
    const char *root = getenv("ROZSHUK_SOURCE_ROOT");
    snprintf(buf, cap, "%s/data-samples/%s", root ? root : ".", name);
    return buf;
}

/* Runs rozshuk, expects its exit code and, when given, a text on stderr or stdout. */
static void expect_run(const char *const *args, int code, const char *in_err, const char *in_out)
{
    rzt_proc p = rzt_run_ok(args);
    cr_expect_eq(p.exit_code, code, "%s", p.err);
    if (in_err)
        cr_expect_not_null(strstr(p.err, in_err), "%s", p.err);
    if (in_out)
        cr_expect_not_null(strstr(p.out, in_out), "%s", p.out);
    rzt_proc_free(&p);
}

static long count(const char *sql)
{
    rz_db *db = NULL;
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    rz_result *res = NULL;
    cr_assert_eq(rz_db_exec(db, sql, 0, NULL, &res, &err), RZ_OK, "%s", err.message);
    long n = strtol(rz_result_value(res, 0, 0), NULL, 10);
    rz_result_free(res);
    rz_db_close(db);
    return n;
}

Test(cli_load, load_prints_counts_and_json_and_batch_shows_rejects_as_csv)
{
    char file[1024];
    sample("messy_volunteers.csv", file, sizeof file);
    const char *args[] = {"load", "--source", "volunteers", "--kind", "missing",
                          "--db", conninfo,   "--json",     file,     NULL};
    rzt_proc p = rzt_run_ok(args);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_expect_not_null(strstr(p.out, "\"batch\":1,\"read\":18,\"loaded\":11,\"inserted\":11,"
                                     "\"updated\":0,\"rejected\":6,\"duplicates\":1,"
                                     "\"warnings\":5,"
                                     "\"unmapped\":\"Телефон родичів\",\"sha256\":\""),
                       "%s", p.out);
    cr_expect_not_null(strstr(p.out, "\"same_file_as_batch\":null}"), "%s", p.out);
    cr_expect_eq(p.err[0], '\0', "no progress bar when stderr is not a terminal: %s", p.err);
    rzt_proc_free(&p);

    const char *show[] = {"batch", "show", "1",      "--rejects", "--format",
                          "csv",   "--db", conninfo, NULL};
    p = rzt_run_ok(show);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_expect_eq(strncmp(p.out, "line,field,reason,raw\n", 22), 0, "%s", p.out);
    cr_expect_not_null(strstr(p.out, "\n10,\"\",\"no name"), "%s", p.out);
    cr_expect_null(strstr(p.out, "in the future"), "a bad birth date is a warning: %s", p.out);
    rzt_proc_free(&p);

    const char *warn[] = {"batch", "show", "1", "--warnings", "--db", conninfo, NULL};
    p = rzt_run_ok(warn);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_expect_not_null(strstr(p.out, "warnings:\n  line 7, field birth_date: birth_date not used, "
                                     "the record is loaded without it: 2090-03-12 is in the "
                                     "future (value: 12.03.2090)"),
                       "%s", p.out);
    rzt_proc_free(&p);

    const char *list[] = {"batch", "list", "--db", conninfo, NULL};
    expect_run(list, 0, NULL, "volunteers");

    /* the same file again: nothing new */
    const char *again[] = {"load", "--source", "volunteers", "--kind", "missing",
                           "--db", conninfo,   file,         NULL};
    p = rzt_run_ok(again);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_expect_not_null(strstr(p.out, "read 18, loaded 0 (new 0, updated 0), rejected 6, "
                                     "duplicates 12"),
                       "%s", p.out);
    rzt_proc_free(&p);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person"), 11);

    const char *undo[] = {"batch", "undo", "1", "--db", conninfo, NULL};
    expect_run(undo, 0, NULL, "11 record(s) removed");
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person"), 0);
}

Test(cli_load, mapping_file_and_usage_errors)
{
    char file[1024], map[1024];
    sample("remains_sme.csv", file, sizeof file);
    sample("remains_sme.mapping.json", map, sizeof map);
    const char *args[] = {"load", "--source", "sme-kyiv", "--kind", "remains", "--mapping",
                          map,    "--db",     conninfo,   file,     NULL};
    rzt_proc p = rzt_run_ok(args);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_expect_not_null(strstr(p.out, "read 6, loaded 6"), "%s", p.out);
    rzt_proc_free(&p);

    const char *no_kind[] = {"load", "--source", "x", file, NULL};
    expect_run(no_kind, 2, "--kind", NULL);
    const char *bad_kind[] = {"load", "--source", "x", "--kind", "ghost", file, NULL};
    expect_run(bad_kind, 2, "ghost", NULL);
    /* without the mapping, only some headers are recognised: the others are named */
    const char *no_mapping[] = {"load", "--source", "x",  "--kind", "remains",
                                "--db", conninfo,   file, NULL};
    p = rzt_run_ok(no_mapping);
    cr_expect_eq(p.exit_code, 0, "%s", p.err);
    cr_expect_not_null(strstr(p.out, "columns kept only in the raw row (no field recognised; "
                                     "map them with --mapping): Шифр, Дата надходження, Район "
                                     "виявлення, Документи при тілі"),
                       "%s", p.out);
    rzt_proc_free(&p);
    char unknown[256];
    cr_assert_eq(rzt_write_temp("Колонка А,Колонка Б\nx,y\n", unknown, sizeof unknown), 0);
    const char *nothing[] = {"load", "--source", "x",     "--kind", "list",
                             "--db", conninfo,   unknown, NULL};
    p = rzt_run_ok(nothing);
    cr_expect_eq(p.exit_code, 1, "no header recognised: refuse the file");
    cr_expect_not_null(strstr(p.err, "--mapping"), "%s", p.err);
    cr_expect_not_null(strstr(p.err, "nothing of"), "%s", p.err);
    rzt_proc_free(&p);
    unlink(unknown);
    const char *missing[] = {
        "load", "--source", "x", "--kind", "list", "--db", conninfo, "/nonexistent/file.csv", NULL};
    expect_run(missing, 1, "/nonexistent/file.csv", NULL);
    const char *show_none[] = {"batch", "show", "42", "--db", conninfo, NULL};
    expect_run(show_none, 1, "no batch 42", NULL);
    const char *help[] = {"load", "--help", NULL};
    expect_run(help, 0, NULL, "--mapping FILE");
}

/* A file large enough that loading it takes seconds. */
static void write_big(const char *path, int rows)
{
    static const char *const surnames[] = {"Шевченко",  "Коваленко", "Бондаренко", "Ткаченко",
                                           "Кравченко", "Олійник",   "Мельник",    "Клименко"};
    static const char *const given[] = {"Олександр", "Андрій", "Микола",  "Ірина",
                                        "Олена",     "Тарас",  "Наталія", "Сергій"};
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("id,surname,given_name,birth_date,last_seen_place\n", f);
    for (int i = 0; i < rows; i++)
        fprintf(f, "K-%07d,%s,%s,%02d.%02d.%d,Харківська обл.\n", i, surnames[i % 8],
                given[(i / 8) % 8], 1 + i % 28, 1 + i % 12, 1940 + i % 60);
    fclose(f);
}

Test(cli_load, sigkill_during_a_load_leaves_no_partial_batch, .timeout = 600)
{
    char path[] = "/tmp/rzt-big-XXXXXX.csv";
    int fd = mkstemps(path, 4);
    cr_assert_geq(fd, 0);
    close(fd);
    write_big(path, 150000);
    const char *bin = getenv("ROZSHUK_BIN");
    cr_assert_not_null(bin);
    char *const argv[] = {(char *)bin, "load", "--source", "big", "--kind",
                          "missing",   "--db", conninfo,   path,  NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    cr_assert_eq(posix_spawn(&pid, bin, &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    /* let it read and stage a good part of the file, then kill it */
    struct timespec t = {1, 500000000};
    nanosleep(&t, NULL);
    int status = 0;
    cr_assert_eq(kill(pid, SIGKILL), 0);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
              "the load finished before it could be killed: make the file bigger");
    /* the server notices the dead client and rolls its transaction back */
    long open = 1;
    for (int i = 0; i < 100 && open > 0; i++) {
        open = count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                     "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'");
        if (open > 0)
            usleep(100000);
    }
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.batch"), 0);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person"), 0);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.batch_reject"), 0);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.source"), 0);
    unlink(path);

    /* and the next load works */
    char file[1024];
    const char *args[] = {
        "load",    "--source", "npu",    "--kind",
        "missing", "--db",     conninfo, sample("missing_register_uk.csv", file, sizeof file),
        NULL};
    rzt_proc p = rzt_run_ok(args);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person"), 18);
    rzt_proc_free(&p);
}
