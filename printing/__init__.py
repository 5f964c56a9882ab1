"""How text a person typed is laid out in the PDFs MedConnect prints (prescriptions,
consultation records, receipts): escaped, split into pieces small enough that any
length flows over pages in linear time, and never one block taller than a page."""
