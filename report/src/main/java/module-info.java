/**
 * Licensor's what-if replay: a pool's recorded demand re-run through the engine on a scratch
 * memory store with another seat count or policy. Start at {@link dev.licensor.replay.WhatIf}.
 */
module dev.licensor.replay {
    requires transitive dev.licensor.core;
    requires dev.licensor.store.memory;

    exports dev.licensor.replay;
}
