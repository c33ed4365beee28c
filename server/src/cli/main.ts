console.log("stub");
