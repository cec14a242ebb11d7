-- Runs a repair Job for the step that failed half-way (condition NeedsRepair); the operator removes the
-- annotation once the Job has ended. Retry the step afterwards.
if obj.status == nil or obj.status.phase ~= "Failed" or obj.status.repair == nil then
  error("the migration needs no repair", 0)
end
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["lockstep.dev/repair"] = "true"
return obj
