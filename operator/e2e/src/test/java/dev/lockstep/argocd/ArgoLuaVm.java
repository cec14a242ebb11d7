package dev.lockstep.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseOsLib;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs an Argo CD Lua script the way Argo CD's {@code util/lua/lua.go} does: the resource as the
 * global {@code obj}, action parameters as the global {@code actionParams}, and the returned table
 * turned into JSON by gopher-json's rules (an empty table is {@code []}, a table with keys 1..n an
 * array, one with string keys an object, anything else an error).
 *
 * <p>With open libraries (Argo CD's health and discovery tests, and built-in scripts) every standard
 * library is there. Without them (Argo CD's action tests, and every script in {@code argocd-cm}
 * without {@code useOpenLibs}) only the base, package and table libraries and an {@code os} with
 * {@code time} and {@code date} are.
 */
final class ArgoLuaVm {

  /** An error the script raised, or a result Argo CD would refuse; the message is Argo CD's. */
  static final class ScriptError extends Exception {
    ScriptError(String message) {
      super(message);
    }
  }

  private final boolean openLibs;

  ArgoLuaVm(boolean openLibs) {
    this.openLibs = openLibs;
  }

  /** Runs {@code script} and returns what it returned, as JSON; {@code null} when it returned nil. */
  JsonNode run(String script, JsonNode obj, Map<String, String> actionParams) throws ScriptError {
    Globals globals = openLibs ? JsePlatform.standardGlobals() : restrictedGlobals();
    LuaTable params = new LuaTable();
    actionParams.forEach((name, value) -> params.set(name, LuaValue.valueOf(value)));
    globals.set("actionParams", params);
    globals.set("obj", toLua(obj));
    positionlessErrorsAtLevelZero(globals);
    Varargs returned;
    try {
      returned = globals.load(script, "script").invoke();
    } catch (LuaError e) {
      LuaValue message = e.getMessageObject();
      throw new ScriptError(message == null ? String.valueOf(e.getMessage()) : message.tojstring());
    }
    LuaValue value = returned.narg() == 0 ? LuaValue.NIL : returned.arg(returned.narg());
    return value.isnil() ? null : toJson(value, new IdentityHashMap<>());
  }

  /**
   * {@code error(message, 0)} raises the message alone, as Lua (and gopher-lua, Argo CD's VM) defines
   * it; luaj would prefix the position whatever the level. Argo CD hands that message to the user.
   */
  private static void positionlessErrorsAtLevelZero(Globals globals) {
    LuaValue luajError = globals.get("error");
    globals.set("error", new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        if (args.arg(2).optint(1) == 0 && args.arg1().isstring()) {
          throw new LuaError(args.arg1()); // carries the message object as it is
        }
        return luajError.invoke(args);
      }
    });
  }

  private static Globals restrictedGlobals() {
    // The string metatable is shared by every Globals in the JVM; without the string library a
    // script must not be able to call methods on strings.
    LuaString.s_metatable = null;
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    globals.load(new JseOsLib());
    LuaValue os = globals.get("os");
    LuaTable safeOs = new LuaTable();
    safeOs.set("time", os.get("time"));
    safeOs.set("date", os.get("date"));
    globals.set("os", safeOs);
    globals.get("package").get("loaded").set("os", safeOs);
    LoadState.install(globals);
    LuaC.install(globals);
    return globals;
  }

  /** As Argo CD's decodeValue: objects and arrays become tables, numbers Lua numbers. */
  static LuaValue toLua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        table.rawset(field.getKey(), toLua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.rawset(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return LuaValue.valueOf(node.asText());
  }

  /** As gopher-json's Encode, which Argo CD uses on every value a script returns. */
  static JsonNode toJson(LuaValue value, IdentityHashMap<LuaValue, Boolean> visited) throws ScriptError {
    JsonNodeFactory json = JsonNodeFactory.instance;
    switch (value.type()) {
      case LuaValue.TNIL:
        return json.nullNode();
      case LuaValue.TBOOLEAN:
        return json.booleanNode(value.toboolean());
      case LuaValue.TNUMBER:
        double number = value.todouble();
        return number == Math.rint(number) && Math.abs(number) < 1e15
            ? json.numberNode((long) number)
            : json.numberNode(number);
      case LuaValue.TSTRING:
        return json.textNode(value.tojstring());
      case LuaValue.TTABLE:
        if (visited.put(value, Boolean.TRUE) != null) {
          throw new ScriptError("cannot encode recursively nested tables to JSON");
        }
        return table((LuaTable) value, visited);
      default:
        throw new ScriptError("cannot encode " + value.typename() + " to JSON");
    }
  }

  private static JsonNode table(LuaTable table, IdentityHashMap<LuaValue, Boolean> visited) throws ScriptError {
    Varargs entry = table.next(LuaValue.NIL);
    LuaValue key = entry.arg1();
    if (key.isnil()) {
      return JsonNodeFactory.instance.arrayNode();
    }
    if (key.type() == LuaValue.TNUMBER) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      int expected = 1;
      while (!key.isnil()) {
        if (key.type() != LuaValue.TNUMBER) {
          throw new ScriptError("cannot encode mixed or invalid key types");
        }
        if (key.todouble() != expected) {
          throw new ScriptError("cannot encode sparse array");
        }
        array.add(toJson(entry.arg(2), visited));
        expected++;
        entry = table.next(key);
        key = entry.arg1();
      }
      return array;
    }
    if (key.type() == LuaValue.TSTRING) {
      ObjectNode object = JsonNodeFactory.instance.objectNode();
      while (!key.isnil()) {
        if (key.type() != LuaValue.TSTRING) {
          throw new ScriptError("cannot encode mixed or invalid key types");
        }
        object.set(key.tojstring(), toJson(entry.arg(2), visited));
        entry = table.next(key);
        key = entry.arg1();
      }
      return object;
    }
    throw new ScriptError("cannot encode mixed or invalid key types");
  }
}
