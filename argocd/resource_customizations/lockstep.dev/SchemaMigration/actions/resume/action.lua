-- Lets a migration paused by lockstep.dev/pause go on.
if obj.metadata.annotations ~= nil then
  obj.metadata.annotations["lockstep.dev/pause"] = nil
end
return obj
