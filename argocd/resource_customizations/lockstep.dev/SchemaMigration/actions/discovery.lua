-- The Lockstep actions that make sense for the migration as it is now. Each sets or removes an
-- annotation the operator reads (lockstep.dev/approve, pause, abort, retry, repair).
local actions = {}

local function isTrue(value)
  return value == "true" or value == "True" or value == "TRUE"
end

local annotations = {}
if obj.metadata.annotations ~= nil then
  annotations = obj.metadata.annotations
end
local paused = isTrue(annotations["lockstep.dev/pause"])
local aborting = isTrue(annotations["lockstep.dev/abort"])

local phase = nil
local readyReason = nil
local failedStep = nil
local changedSomething = false
if obj.status ~= nil then
  phase = obj.status.phase
  if obj.status.conditions ~= nil then
    for _, condition in ipairs(obj.status.conditions) do
      if condition.type == "Ready" then
        readyReason = condition.reason
      end
    end
  end
  if obj.status.steps ~= nil then
    for _, step in ipairs(obj.status.steps) do
      if step.state == "Failed" and failedStep == nil then
        failedStep = step.name
      end
      if step.state == "Succeeded" then
        changedSomething = true
      end
      if step.state == "Failed" and step.versionAfter ~= nil and step.versionAfter ~= step.versionBefore then
        changedSomething = true
      end
    end
  end
end

local running = phase == nil or phase == "Pending" or phase == "Queued" or phase == "Validating"
    or phase == "Progressing" or phase == "WaitingForApproval"
-- A step failed under the Manual rollback policy: the migration waits for retry or abort.
local stoppedByFailure = phase == "Failed" and readyReason == "StepFailed" and failedStep ~= nil
-- A step failed half-way and left the database stuck (condition NeedsRepair): a repair Job may run.
local needsRepair = phase == "Failed" and obj.status.repair ~= nil and obj.status.repair.startedAt == nil

actions["approve"] = {
  ["disabled"] = not (phase == "WaitingForApproval" and obj.status.currentStep ~= nil),
  ["iconClass"] = "fa fa-fw fa-check",
  ["displayName"] = "Approve the waiting step"
}
actions["pause"] = {
  ["disabled"] = paused or not running,
  ["iconClass"] = "fa fa-fw fa-pause-circle",
  ["displayName"] = "Pause before the next step"
}
actions["resume"] = {
  ["disabled"] = not paused,
  ["iconClass"] = "fa fa-fw fa-play-circle",
  ["displayName"] = "Resume"
}
actions["abort"] = {
  ["disabled"] = aborting or not (phase == "Progressing" or phase == "WaitingForApproval" or phase == "Paused"
      or (stoppedByFailure and changedSomething)),
  ["iconClass"] = "fa fa-fw fa-undo",
  ["displayName"] = "Abort and roll back"
}
actions["retry"] = {
  ["disabled"] = not stoppedByFailure or annotations["lockstep.dev/retry"] == failedStep,
  ["iconClass"] = "fa fa-fw fa-redo",
  ["displayName"] = "Retry the failed step"
}
actions["repair"] = {
  ["disabled"] = not needsRepair or isTrue(annotations["lockstep.dev/repair"]),
  ["iconClass"] = "fa fa-fw fa-wrench",
  ["displayName"] = "Repair what the failed step left"
}
return actions
