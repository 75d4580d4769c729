/**
 * The strict flat-JSON reader and writer of Licensor's token claims, shared by the engine (which
 * signs) and the verifier (which reads, and must not depend on the engine). JDK only. Not API: the
 * package is exported to those two modules alone.
 */
@SuppressWarnings("module") // the two modules it exports to are built after it
module dev.licensor.json {
    exports dev.licensor.json.internal to dev.licensor.core, dev.licensor.verify;
}
