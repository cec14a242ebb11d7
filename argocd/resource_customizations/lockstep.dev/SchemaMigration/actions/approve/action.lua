-- Approves the step the migration waits for: adds it to lockstep.dev/approve (a comma-separated list).
if obj.status == nil or obj.status.phase ~= "WaitingForApproval" or obj.status.currentStep == nil then
  error("the migration is not waiting for an approval", 0)
end
local step = obj.status.currentStep
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
local approved = obj.metadata.annotations["lockstep.dev/approve"]
if approved == nil or approved == "" then
  obj.metadata.annotations["lockstep.dev/approve"] = step
elseif approved ~= step then
  obj.metadata.annotations["lockstep.dev/approve"] = approved .. "," .. step
end
return obj
