/* introspect.c - the child's half of `slotbench new --from MODULE:CLASS`
 * (`slotbench __child introspect SPEC DEST`): imports the user's class in
 * the child's interpreter and says what a __slots__ twin of it needs, as
 * JSON for newscen.c, which writes the scenario file.  The parent never
 * imports user code.
 *
 * The attributes, in order of preference:
 *   a dataclass       its fields (its __init__ is generated: no source,
 *                     and 3.13 records no __static_attributes__ for it)
 *   Python 3.13+      __static_attributes__ of the class and its bases:
 *                     every self.X assigned in any method, ordered as the
 *                     source of __init__ assigns them where it can be read
 *   before            the self.X targets of __init__'s source (ast), in
 *                     source order, setattr(self, "X", ...) included
 * The work is a short Python program run with the class's module imported
 * from the current directory (or the directory of a .py path): reading
 * source and walking an ast is what Python's own modules are for. */
#include "introspect.h"
#include "interp.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/* Run with SPEC ("MODULE:CLASS" or "path/to/file.py:CLASS") and DEST (the
 * directory the scenario goes to) in its globals; leaves RESULT (a JSON
 * text) or ERROR (a refusal in words).  An exception from the user's
 * module propagates, for interp_exc to place. */
static const char program[] =
"import ast, dataclasses, importlib, inspect, json, os, sys, textwrap\n"
"\n"
"def init_of(cls):\n"
"    for k in cls.__mro__[:-1]:\n"
"        if '__init__' in vars(k):\n"
"            return k, vars(k)['__init__']\n"
"    return None, None\n"
"\n"
"def source_attrs(init):\n"
"    try:\n"
"        tree = ast.parse(textwrap.dedent(inspect.getsource(init)))\n"
"    except (OSError, TypeError, SyntaxError):\n"
"        return None, None\n"
"    fn = tree.body[0]\n"
"    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) \\\n"
"            or not fn.args.args:\n"
"        return [], []\n"
"    me = fn.args.args[0].arg\n"
"    found = []\n"
"    def always(stmt):\n"
"        return any(s is stmt or isinstance(s, ast.Expr) and s.value is stmt\n"
"                   for s in fn.body)\n"
"    def target(t, stmt):\n"
"        if isinstance(t, (ast.Tuple, ast.List)):\n"
"            for e in t.elts:\n"
"                target(e, stmt)\n"
"        elif isinstance(t, ast.Starred):\n"
"            target(t.value, stmt)\n"
"        elif isinstance(t, ast.Attribute) and \\\n"
"                isinstance(t.value, ast.Name) and t.value.id == me:\n"
"            found.append((t.lineno, t.col_offset, t.attr, always(stmt)))\n"
"    for node in ast.walk(fn):\n"
"        if isinstance(node, ast.Assign):\n"
"            for t in node.targets:\n"
"                target(t, node)\n"
"        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):\n"
"            target(node.target, node)\n"
"        elif isinstance(node, ast.Call) and \\\n"
"                isinstance(node.func, ast.Name) and \\\n"
"                node.func.id == 'setattr' and len(node.args) >= 2 and \\\n"
"                isinstance(node.args[0], ast.Name) and \\\n"
"                node.args[0].id == me and \\\n"
"                isinstance(node.args[1], ast.Constant) and \\\n"
"                isinstance(node.args[1].value, str):\n"
"            found.append((node.lineno, node.col_offset,\n"
"                          node.args[1].value, always(node)))\n"
"    names, unconditional = [], []\n"
"    for _, _, name, sure in sorted(found):\n"
"        if name not in names:\n"
"            names.append(name)\n"
"        if sure and name not in unconditional:\n"
"            unconditional.append(name)\n"
"    return names, unconditional\n"
"\n"
"def main():\n"
"    global ERROR, RESULT\n"
"    modname, sep, clsname = SPEC.rpartition(':')\n"
"    if not sep or not modname or not clsname:\n"
"        ERROR = '%r is not MODULE:CLASS (for example shop.models:Order)' \\\n"
"            % SPEC\n"
"        return\n"
"    if modname.endswith('.py') or '/' in modname:\n"
"        path = os.path.abspath(modname)\n"
"        if not os.path.isfile(path):\n"
"            ERROR = 'no such file: %s' % modname\n"
"            return\n"
"        search = os.path.dirname(path)\n"
"        modname = os.path.splitext(os.path.basename(path))[0]\n"
"    else:\n"
"        search = os.getcwd()\n"
"    sys.path.insert(0, search)\n"
"    module = importlib.import_module(modname)\n"
"    cls = module\n"
"    for part in clsname.split('.'):\n"
"        cls = getattr(cls, part, None)\n"
"        if cls is None:\n"
"            ERROR = '%s has no %s' % (modname, clsname)\n"
"            return\n"
"    if not isinstance(cls, type):\n"
"        ERROR = '%s.%s is not a class' % (modname, clsname)\n"
"        return\n"
"    if '__slots__' in vars(cls):\n"
"        ERROR = ('%s already declares __slots__: give its dict-based '\n"
"                 'counterpart' % clsname)\n"
"        return\n"
"    owner, init = init_of(cls)\n"
"    from_source, always = source_attrs(init) if init else ([], [])\n"
"    static = []\n"
"    for k in cls.__mro__[:-1]:\n"
"        for name in getattr(k, '__static_attributes__', ()):\n"
"            if name not in static:\n"
"                static.append(name)\n"
"    if dataclasses.is_dataclass(cls):\n"
"        attrs = [f.name for f in dataclasses.fields(cls)]\n"
"        always = attrs\n"
"        how = 'its dataclass fields'\n"
"    elif static:\n"
"        attrs = (from_source or []) + [a for a in static\n"
"                                       if a not in (from_source or [])]\n"
"        how = 'its __static_attributes__ (Python 3.13+)'\n"
"    elif from_source is not None:\n"
"        attrs = from_source\n"
"        how = 'the source of %s.__init__' % (owner.__name__ if owner\n"
"                                             else clsname)\n"
"    else:\n"
"        ERROR = ('cannot read the source of %s.__init__ (%s)'\n"
"                 % (clsname, inspect.getsourcefile(init) or 'built in'))\n"
"        return\n"
"    if not attrs:\n"
"        ERROR = ('%s.__init__ assigns no attribute of self: nothing '\n"
"                 'for __slots__ to hold' % clsname)\n"
"        return\n"
"    try:\n"
"        signature = str(inspect.signature(cls))\n"
"    except (TypeError, ValueError):\n"
"        signature = '(...)'\n"
"    origin = os.path.abspath(getattr(module, '__file__', '') or '')\n"
"    top = modname.split('.')[0]\n"
"    rel = None\n"
"    if origin.startswith(os.path.join(search, top)):\n"
"        rel = os.path.relpath(search, os.path.abspath(DEST))\n"
"    code = getattr(init, '__code__', None)\n"
"    RESULT = json.dumps({\n"
"        'module': modname, 'class': clsname,\n"
"        'name': clsname.rpartition('.')[2],\n"
"        'attrs': attrs, 'how': how, 'signature': signature,\n"
"        'always': [a for a in attrs if a in (always or attrs)],\n"
"        'path': repr(rel) if rel is not None else None,\n"
"        'found_in': search,\n"
"        'bases': [b.__name__ for b in cls.__bases__ if b is not object],\n"
"        'super': bool(code and '__class__' in code.co_freevars),\n"
"        'dataclass': dataclasses.is_dataclass(cls),\n"
"        'identifiers': all(a.isidentifier() for a in attrs),\n"
"    })\n"
"\n"
"main()\n";

/* globals[key] = value, a str; -1 with a Python exception set. */
static int
set_text(PyObject *globals, const char *key, const char *value)
{
    PyObject *v = PyUnicode_FromString(value);
    int rc = v ? PyDict_SetItemString(globals, key, v) : -1;
    Py_XDECREF(v);
    return rc;
}

json_t *
introspect_class(const char *spec, const char *dest, char *err)
{
    PyObject *code = NULL, *globals = NULL, *r, *text;
    const char *result;
    json_t *out = NULL;
    json_error_t jerr;

    globals = PyDict_New();
    if (globals == NULL ||
        PyDict_SetItemString(globals, "__builtins__",
                             PyEval_GetBuiltins()) < 0 ||
        set_text(globals, "__name__", "__slotbench_new__") < 0 ||
        set_text(globals, "SPEC", spec) < 0 ||
        set_text(globals, "DEST", dest) < 0) {
        interp_exc(err, "%s: setting up", spec);
        goto done;
    }
    code = Py_CompileString(program, "<slotbench new>", Py_file_input);
    if (code == NULL) {
        interp_exc(err, "slotbench new: its own program");
        goto done;
    }
    r = PyEval_EvalCode(code, globals, globals);
    if (r == NULL) {
        interp_exc(err, "importing %s", spec);
        goto done;
    }
    Py_DECREF(r);
    text = PyDict_GetItemString(globals, "ERROR"); /* borrowed */
    if (text && PyUnicode_Check(text)) {
        sb_seterr(err, "%s", PyUnicode_AsUTF8(text));
        goto done;
    }
    text = PyDict_GetItemString(globals, "RESULT"); /* borrowed */
    result = text && PyUnicode_Check(text) ? PyUnicode_AsUTF8(text) : NULL;
    out = result ? json_loads(result, 0, &jerr) : NULL;
    if (out == NULL) {
        PyErr_Clear();
        sb_seterr(err, "slotbench new: %s gave no result", spec);
    }
done:
    Py_XDECREF(code);
    Py_XDECREF(globals);
    return out;
}
