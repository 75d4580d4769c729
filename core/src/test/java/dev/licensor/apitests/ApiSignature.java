package dev.licensor.apitests;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A module's public API as text, one line per public type and per public or protected member
 * (Kotlin's binary-compatibility-validator {@code .api} dumps, for Java): generated from the
 * compiled classes of the module's exported packages, read from its {@code module-info.class}.
 * A module's {@code ApiSignatureTest} compares it with the checked-in {@code api/<artifact>.api}
 * and fails on any difference, so every change to the public API shows in review
 * ({@code docs/api.md}).
 *
 * <p>Thread-safe: stateless.
 */
public final class ApiSignature {
    /** The system property that rewrites the checked-in file instead of comparing. */
    public static final String UPDATE = "licensor.api.update";

    private ApiSignature() {
    }

    /**
     * Compares the API of the module whose classes are in {@code target/classes} (the working
     * directory is the module's, as under Surefire) with {@code api/<artifact>.api}; with
     * {@code -Dlicensor.api.update=true}, writes the file instead.
     *
     * @param artifact the module's artifact id, which names the file
     * @param module   the module's directory name, for the regeneration command
     * @throws AssertionError if the API differs from the file, listing the lines added and removed
     * @throws IOException    if the classes or the file cannot be read
     */
    public static void check(String artifact, String module) throws IOException {
        Path classes = Path.of("target", "classes");
        Path file = Path.of("api", artifact + ".api");
        String actual = String.join("\n", dump(classes)) + "\n";
        if (Boolean.getBoolean(UPDATE)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        String expected = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (!expected.equals(actual)) {
            Set<String> want = new LinkedHashSet<>(expected.lines().toList());
            Set<String> have = new LinkedHashSet<>(actual.lines().toList());
            StringBuilder diff = new StringBuilder();
            want.stream().filter(l -> !have.contains(l)).forEach(l -> diff.append("\n- ").append(l));
            have.stream().filter(l -> !want.contains(l)).forEach(l -> diff.append("\n+ ").append(l));
            throw new AssertionError("The public API of " + artifact + " differs from " + module + "/" + file
                    + " (- removed, + added):" + diff + "\nIf the change is intended, regenerate the file with\n"
                    + "  mvn -o -pl " + module + " -am verify -Dtest=ApiSignatureTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE + "=true\n"
                    + "and commit it with the change (docs/api.md).");
        }
    }

    /**
     * The API lines of the exported packages under {@code classes}: each public type (with its
     * kind, modifiers, supertypes and permitted subtypes) followed by its public and protected
     * members, indented; types and members sorted.
     *
     * @param classes a module's compiled classes, with its {@code module-info.class}
     * @return the lines, without line ends
     * @throws IOException if a class file cannot be read
     */
    public static List<String> dump(Path classes) throws IOException {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        Set<String> exported = descriptor.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
                String rel = classes.relativize(f).toString().replace('\\', '/');
                String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
                int dot = name.lastIndexOf('.');
                if (dot > 0 && exported.contains(name.substring(0, dot))) {
                    names.add(name);
                }
            });
        }
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            Class<?> type;
            try {
                type = Class.forName(name, false, ApiSignature.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IOException("not on the test class path: " + name, e);
            }
            if (!visible(type)) {
                continue;
            }
            lines.add(header(type));
            boolean subclassable = !Modifier.isFinal(type.getModifiers()) && !type.isInterface();
            TreeSet<String> members = new TreeSet<>();
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (exposed(c, subclassable)) {
                    members.add("  " + strip(c.toGenericString(), type));
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if (!m.isSynthetic() && !m.isBridge() && exposed(m, subclassable)) {
                    members.add("  " + strip(m.toGenericString(), type));
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (!f.isSynthetic() && exposed(f, subclassable)) {
                    members.add("  " + strip(f.toGenericString(), type));
                }
            }
            lines.addAll(members);
        }
        return lines;
    }

    /** Public, and so are the types it is nested in; not anonymous, local or synthetic. */
    private static boolean visible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass() || t.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static boolean exposed(Member member, boolean subclassable) {
        int m = member.getModifiers();
        if (member instanceof Executable e && e.isSynthetic()) {
            return false;
        }
        return Modifier.isPublic(m) || (subclassable && Modifier.isProtected(m));
    }

    /** Drops the declaring type from a member's string: {@code a.B.name(...)} becomes {@code name(...)}. */
    private static String strip(String member, Class<?> type) {
        return member.replace(" " + type.getTypeName() + ".", " ").replace(" " + type.getName() + ".", " ");
    }

    private static String header(Class<?> type) {
        int modifiers = type.getModifiers() & ~(Modifier.INTERFACE | Modifier.ABSTRACT);
        if (type.isInterface()) {
            modifiers &= ~Modifier.STATIC;
        }
        String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface"
                : type.isEnum() ? "enum" : type.isRecord() ? "record"
                : Modifier.isAbstract(type.getModifiers()) ? "abstract class" : "class";
        if (type.isEnum() || type.isRecord()) {
            modifiers &= ~Modifier.FINAL;
        }
        StringBuilder out = new StringBuilder(Modifier.toString(modifiers));
        if (type.isSealed()) {
            out.append(" sealed");
        }
        out.append(' ').append(kind).append(' ').append(type.getTypeName());
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
            out.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            out.append(type.isInterface() ? " extends " : " implements ").append(Arrays.stream(interfaces)
                    .map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        if (type.isSealed()) {
            out.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getTypeName)
                    .sorted().collect(Collectors.joining(", ")));
        }
        return out.toString().strip();
    }
}
