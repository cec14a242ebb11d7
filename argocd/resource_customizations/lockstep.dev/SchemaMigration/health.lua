-- Health of a Lockstep SchemaMigration (lockstep.dev). Waiting for a person (an approval, a pause)
-- is Suspended, never Degraded; a migration that failed or was rolled back is Degraded. Only the
-- base and table libraries are used, so the script runs without useOpenLibs.
local hs = {}

if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Lockstep operator to pick up the migration"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and observed ~= nil and observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the Lockstep operator to observe the new spec (generation " .. generation .. ")"
  return hs
end

local statusByPhase = {
  Pending = "Progressing",
  Queued = "Progressing",
  Validating = "Progressing",
  Progressing = "Progressing",
  RollingBack = "Progressing",
  WaitingForApproval = "Suspended",
  Paused = "Suspended",
  Succeeded = "Healthy",
  Failed = "Degraded",
  RolledBack = "Degraded"
}

local phase = obj.status.phase
hs.status = statusByPhase[phase]
if hs.status == nil then
  hs.status = "Unknown"
end
if obj.status.message ~= nil and obj.status.message ~= "" then
  hs.message = obj.status.message
else
  hs.message = "Phase " .. phase
end
return hs
