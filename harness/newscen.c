/* newscen.c - `slotbench new NAME [--from MODULE:CLASS] [--dir DIR]`:
 * writes scenarios/NAME.py, either the template (scenarios/_template.py)
 * with its classes named after NAME, or a scenario around the user's own
 * class: that class imported as the dict variant and a __slots__ twin of
 * it.  What the twin needs (the attributes __init__ assigns, the class's
 * signature, where its module lives) is found by a child, `__child
 * introspect` (introspect.c), started through task.h like every other
 * piece of Python work: the parent never imports user code.  ARGS is left
 * for the user, with comments saying what to check; an existing file is
 * never overwritten. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "newscen.h"
#include "paths.h"
#include "cmdline.h"
#include "run.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Importing a module and reading a class: quick, unless its import hangs. */
#define INTROSPECT_TIMEOUT 120

static const char *
jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* "my_thing-2" -> "MyThing2": a class name made from a scenario name. */
static void
camel_case(const char *name, char *out, size_t len)
{
    size_t k = 0;
    int up = 1;
    if (isdigit((unsigned char)name[0]) && k + 1 < len) {
        out[k++] = 'S';
    }
    for (const char *p = name; *p && k + 1 < len; p++) {
        if (!isalnum((unsigned char)*p)) {
            up = 1;
            continue;
        }
        out[k++] = up ? (char)toupper((unsigned char)*p) : *p;
        up = 0;
    }
    out[k] = '\0';
}

/* The template, its classes ThingDict and ThingSlots renamed after name. */
static int
from_template(const char *name, sb_buf *out, char *err)
{
    char path[PATH_MAX], camel[80];
    char *text;
    size_t len;
    paths_template(path, sizeof path);
    if (sb_read_file(path, &text, &len, err) < 0) {
        return -1;
    }
    camel_case(name, camel, sizeof camel);
    for (const char *p = text; *p;) {
        const char *hit = strstr(p, "Thing");
        if (hit == NULL) {
            sb_buf_printf(out, "%s", p);
            break;
        }
        sb_buf_append(out, p, (size_t)(hit - p));
        sb_buf_printf(out, "%s", camel);
        p = hit + strlen("Thing");
    }
    free(text);
    return 0;
}

/* The comment lines of what to check, from the child's description. */
static void
checks(sb_buf *b, json_t *c, const char *twin)
{
    const char *cls = jstr(c, "class");
    size_t i;
    json_t *base;
    sb_buf_printf(b,
        "# What to check before a run:\n"
        "# - __slots__ holds every attribute an instance of %s gets: these\n"
        "#   were read from %s.\n"
        "#   One set anywhere else (another method, a caller) must be added,\n"
        "#   or %s raises AttributeError there.\n"
        "# - %s has %s's __init__ and no other method: copy the ones\n"
        "#   __init__ calls, or that the measured code needs.\n",
        cls, jstr(c, "how"), twin, twin, cls);
    if (json_array_size(json_object_get(c, "bases"))) {
        sb_buf_printf(b, "# - %s derives from", cls);
        json_array_foreach(json_object_get(c, "bases"), i, base) {
            sb_buf_printf(b, "%s %s", i ? "," : "", json_string_value(base));
        }
        sb_buf_printf(b, ": %s does not, so it may lack their\n"
                         "#   methods; if it derives from them, each must "
                         "declare __slots__\n#   too, or instances keep a "
                         "__dict__.\n", twin);
    }
    if (json_is_true(json_object_get(c, "super"))) {
        sb_buf_printf(b, "# - %s.__init__ calls super(): on a %s that fails "
                         "(it is no\n#   %s); give %s an __init__ of its "
                         "own.\n", cls, twin, cls, twin);
    }
    if (json_is_true(json_object_get(c, "dataclass"))) {
        sb_buf_printf(b, "# - %s is a dataclass: on Python 3.10+ "
                         "@dataclass(slots=True) is another\n#   slots "
                         "variant worth adding.\n", cls);
    }
}

/* ATTRS, when not every slot is an attribute each instance has (one set
 * on some paths of __init__ only, or in another method): the timing ops
 * read and write ATTRS on every variant, and ATTRS defaults to the
 * twin's __slots__. */
static void
attrs_line(sb_buf *b, json_t *c)
{
    json_t *all = json_object_get(c, "attrs"), *always =
        json_object_get(c, "always"), *a;
    size_t i;
    if (json_array_size(always) == json_array_size(all) ||
        json_array_size(always) == 0) {
        return;
    }
    sb_buf_printf(b, "\n# The attributes the timing ops read and write: "
                     "those __init__ always\n# assigns (not");
    json_array_foreach(all, i, a) {
        int in = 0;
        size_t k;
        json_t *x;
        json_array_foreach(always, k, x) {
            in |= json_equal(x, a);
        }
        if (!in) {
            sb_buf_printf(b, " %s", json_string_value(a));
        }
    }
    sb_buf_printf(b, ": an instance may lack them).\nATTRS = (");
    json_array_foreach(always, i, a) {
        sb_buf_printf(b, "%s\"%s\"", i ? ", " : "", json_string_value(a));
    }
    sb_buf_printf(b, "%s)\n", json_array_size(always) == 1 ? "," : "");
}

/* The scenario around the user's class, from the child's description c. */
static void
from_class(json_t *c, const char *name, sb_buf *b)
{
    const char *cls = jstr(c, "class"), *short_name = jstr(c, "name");
    char twin[160], top[160];
    size_t i;
    json_t *a;
    json_t *path = json_object_get(c, "path");

    snprintf(twin, sizeof twin, "%sSlots", short_name);
    snprintf(top, sizeof top, "%.*s", (int)strcspn(cls, "."), cls);
    sb_buf_printf(b,
        "\"\"\"%s: %s of %s against a __slots__ twin of it.\n\n"
        "Written by `slotbench new %s --from %s:%s`.  The dict variant is "
        "your\nclass, unchanged; %s declares __slots__ for the attributes "
        "its\n__init__ assigns.  Fill in ARGS below, read the checks above "
        "VARIANTS,\nthen `slotbench list` and `slotbench run %s`.  The "
        "first line above is\nwhat `slotbench list` shows: edit it at will.  "
        "The optional names\n(KWARGS, unique_args, ATTRS, N, OPS ...) are "
        "described in\nscenarios/_template.py.\n\"\"\"\n",
        name, cls, jstr(c, "module"), name, jstr(c, "module"), cls, twin,
        name);
    if (json_is_string(path)) {
        sb_buf_printf(b,
            "import os\nimport sys\n\n"
            "# %s is imported from where `slotbench new` found it,\n"
            "# %s (the path below is relative to this file).\n"
            "sys.path.insert(0, os.path.join(os.path.dirname("
            "os.path.abspath(__file__)),\n                                "
            "%s))\n\n"
            "from %s import %s  # noqa: E402\n",
            jstr(c, "module"), jstr(c, "found_in"), json_string_value(path),
            jstr(c, "module"), top);
    }
    else {
        sb_buf_printf(b, "\nfrom %s import %s\n", jstr(c, "module"), top);
    }
    sb_buf_printf(b, "\n\nclass %s:\n    \"\"\"%s with __slots__: no "
                     "per-instance __dict__.\"\"\"\n\n    __slots__ = (",
                  twin, short_name);
    json_array_foreach(json_object_get(c, "attrs"), i, a) {
        sb_buf_printf(b, "%s\"%s\"", i ? ", " : "", json_string_value(a));
    }
    sb_buf_printf(b, "%s)\n\n    # %s's own __init__: both variants build "
                     "the same instance.\n    __init__ = %s.__init__\n\n\n",
                  json_array_size(json_object_get(c, "attrs")) == 1 ? ","
                                                                     : "",
                  short_name, cls);
    checks(b, c, twin);
    sb_buf_printf(b, "VARIANTS = {\"dict\": %s, \"slots\": %s}\n\n"
                     "# FILL IN: the arguments of %s%s,\n"
                     "# shared by every instance (the objects are built "
                     "once: only each\n# instance's own overhead is "
                     "measured).  `slotbench list` shows this\n# scenario "
                     "INVALID until they fit.\n"
                     "ARGS = ()\n", cls, twin, short_name,
                  jstr(c, "signature"));
    attrs_line(b, c);
}

/* Write text into path, which must not exist yet.  -1 with a message. */
static int
write_new_file(const char *path, const sb_buf *text, char *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0) {
        return sb_seterr(err, errno == EEXIST
                         ? "%s exists already: remove it or choose another "
                           "name" : "cannot create %s: %s", path,
                         strerror(errno));
    }
    size_t done = 0;
    while (done < text->len) {
        ssize_t n = write(fd, text->data + done, text->len - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            sb_seterr(err, "cannot write %s: %s", path, strerror(errno));
            close(fd);
            unlink(path);
            return -1;
        }
        done += (size_t)n;
    }
    if (close(fd) < 0) {
        unlink(path);
        return sb_seterr(err, "cannot write %s: %s", path, strerror(errno));
    }
    return 0;
}

/* Ask a child about the class of spec; the description, or NULL with a
 * message in err. */
static json_t *
describe_class(const run_options *run, const char *spec, const char *dir,
               char *err)
{
    task_limits lim = run_task_limits(run);
    child_result res;
    char *extra[] = {(char *)spec, (char *)dir};
    json_t *c = NULL;
    task_run(&lim, "introspect", NULL, extra, 2, INTROSPECT_TIMEOUT, &res);
    if (res.outcome == CHILD_OK) {
        c = json_incref(json_object_get(res.json, "class"));
    }
    else {
        sb_seterr(err, "--from %s: %s", spec, res.reason);
    }
    child_result_free(&res);
    return c;
}

int
newscen_main(int argc, char **argv)
{
    run_options run;
    options o = {.run = &run};
    char err[SB_ERRLEN], dir[PATH_MAX], path[PATH_MAX + 80];
    sb_buf text = {0};
    int rc = cmdline_parse(OPTIONS_NEW, argc, argv, &o);
    if (rc >= 0) {
        return rc; /* --help, or a usage error */
    }
    const char *name = o.operands[0];
    if (!sb_name_is_safe(name) || name[0] == '_' || name[0] == '.' ||
        strlen(name) > 60) {
        return cmdline_usage_error(OPTIONS_NEW, "'%s' is not a scenario "
                                   "name: letters, digits, '_', '-', '.', "
                                   "not starting with '_' or '.'", name);
    }
    if (o.new_dir[0]) {
        snprintf(dir, sizeof dir, "%s", o.new_dir);
    }
    else {
        paths_new_scenarios(dir, sizeof dir); /* installed: ./scenarios */
    }
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        sb_warn("new: cannot create %s: %s", dir, strerror(errno));
        return 1;
    }
    snprintf(path, sizeof path, "%s/%s.py", dir, name);
    if (access(path, F_OK) == 0) {
        sb_warn("new: %s exists already: remove it or choose another name",
                path);
        return 1;
    }
    if (o.new_from[0] == '\0') {
        rc = from_template(name, &text, err);
    }
    else {
        json_t *c = describe_class(&run, o.new_from, dir, err);
        rc = c ? 0 : -1;
        if (c && !json_is_true(json_object_get(c, "identifiers"))) {
            rc = sb_seterr(err, "--from %s: an attribute name is not an "
                                "identifier", o.new_from);
        }
        else if (c) {
            from_class(c, name, &text);
        }
        json_decref(c);
    }
    if (rc == 0) {
        rc = write_new_file(path, &text, err);
    }
    sb_buf_free(&text);
    if (rc < 0) {
        sb_warn("new: %s", err);
        return child_stop_requested() ? 128 + child_stop_requested() : 1;
    }
    printf("wrote %s\n%s", path, o.new_from[0]
           ? "next: fill in ARGS and read the checks in it, then "
             "'slotbench list'\n"
           : "next: write your classes into it, then 'slotbench list'\n");
    return 0;
}
