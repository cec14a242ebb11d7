-- Rolls the migration back now: completed steps are undone, newest first.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["lockstep.dev/abort"] = "true"
return obj
