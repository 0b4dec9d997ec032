"""Test messages written after the layouts of the UN/EDIFACT PAXLST D02B and D05B directories
and the WCO/IATA/ICAO API implementation guide: one per syntax variant the reader must accept.

The names, documents and flights are invented.
"""

from __future__ import annotations

# D05B passenger list, default service characters (no UNA), one segment per line, two legs
# (Manila - Naha - Narita), three passengers of whom two share a booking.
D05B_PASSENGERS = """\
UNB+UNOA:4+PRAPI:ZZ+JPNAPIS:ZZ+250401:0130+000000101++PAXLST'
UNG+PAXLST+PRAPI+JPNAPIS+250401:0130+101+UN+D:05B'
UNH+PAX101+PAXLST:D:05B:UN:IATA+PR428/250401/1430+01:F'
BGM+745'
RFF+TN:PR428250401A:::1'
NAD+MS+++API DESK+7F TERMINAL 1+PASAY++1300+PHL'
COM+632 555 0100:TE'
TDT+20+PR428+++PR'
LOC+125+MNL'
DTM+189:2504010230:201'
LOC+87+OKA'
DTM+232:2504010600:201'
TDT+20+PR428+++PR'
LOC+125+OKA'
DTM+189:2504010700:201'
LOC+87+NRT'
DTM+232:2504011430:201'
NAD+FL+++DELA CRUZ:MARIA:LUZ+12 RIZAL AVENUE+MANILA++1000+PHL'
ATT+2++F'
DTM+329:980504'
MEA+CT++:2'
GEI+4+173'
FTX+BAG+++PR123456:2'
LOC+22+NRT'
LOC+178+MNL'
LOC+179+NRT'
LOC+174+PHL'
LOC+180+PHL'
NAT+2+PHL'
RFF+AVF:QX7K2M'
RFF+ABO:1234567890123'
RFF+SEA:23C'
DOC+P:110:111+P1234567A'
DTM+36:300109'
DTM+182:200110'
LOC+91+PHL'
NAD+FL+++O?'NEIL:JAMES'
ATT+2++M'
DTM+329:610402'
LOC+178+MNL'
LOC+179+NRT'
NAT+2+IRL'
RFF+AVF:QX7K2M'
RFF+SEA:23D'
DOC+P:110:111+PA0001122'
DTM+36:290815'
LOC+91+IRL'
NAD+DDT+++SANTOS:ANA'
ATT+2++F'
DTM+329:020911'
LOC+178+MNL'
LOC+179+OKA'
NAT+2+PHL'
RFF+AVF:ZZ9P4L'
DOC+P:110:111+P7654321B'
DTM+36:310101'
LOC+91+PHL'
CNT+42:3'
UNT+57+PAX101'
UNE+1+101'
UNZ+1+000000101'
"""

# D02B crew list with a UNA that changes every separator: '*' between elements, '$' ending
# segments, '\\' as release character; DOC without a composite type, LOC+92 routing, dates with
# four-digit years (format 203), all on one line.
D02B_CREW_CUSTOM = (
    "UNA:*.\\ $"
    "UNB*UNOA:4*JLAPI*JPNAPIS*250401:2200*7001$"
    "UNH*C7001*PAXLST:D:02B:UN:IATA*JL44$"
    "BGM*250$"
    "NAD*MS***CREW DESK$"
    "TDT*20*JL44***JL$"
    "LOC*92*CDG$"
    "DTM*189:202504012330:203$"
    "LOC*92*HND$"
    "DTM*232:202504021830:203$"
    "NAD*FM***KOVAC:ANNE\\:MARIE$"
    "ATT*2**F$"
    "DTM*329:19850317:102$"
    "NAT*2*FRA$"
    "DOC*P*25FR99881$"
    "DTM*36:20320110:102$"
    "LOC*91*FRA$"
    "NAD*FM***SUZUKI:TARO\\*JIRO$"
    "ATT*2**M$"
    "DTM*329:790101$"
    "NAT*2*JPN$"
    "DOC*P*TZ1234567$"
    "DTM*36:271231$"
    "LOC*91*JPN$"
    "CNT*41:2$"
    "UNT*24*C7001$"
    "UNZ*1*7001$"
)
