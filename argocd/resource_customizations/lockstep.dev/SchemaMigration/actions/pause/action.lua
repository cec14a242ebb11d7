-- Holds the migration before its next step; a running step finishes first.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["lockstep.dev/pause"] = "true"
return obj
