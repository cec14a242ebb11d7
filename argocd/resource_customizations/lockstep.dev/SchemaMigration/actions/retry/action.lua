-- Runs the failed step again as a new attempt; the operator removes the annotation once acted on.
local failed = nil
if obj.status ~= nil and obj.status.phase == "Failed" and obj.status.steps ~= nil then
  for _, step in ipairs(obj.status.steps) do
    if step.state == "Failed" and failed == nil then
      failed = step.name
    end
  end
end
if failed == nil then
  error("no step of the migration has failed", 0)
end
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["lockstep.dev/retry"] = failed
return obj
